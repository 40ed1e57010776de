import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Requester } from '../common/tenant.js';
import { tenantOf, type AuthenticatedClient } from './authenticated-client.js';

/** The authenticated caller: its subject for `requestedBy` and its tenant for `tenant` on log rows. */
export const RequestedBy = createParamDecorator((_data: unknown, context: ExecutionContext): Requester => {
  const user = context.switchToHttp().getRequest<{ user?: AuthenticatedClient }>().user;
  return { subject: user?.subject ?? 'anonymous', tenant: tenantOf(user) };
});

/** The caller's tenant alone (tenantOf), as a handler parameter: whose suppression list a request reads. */
export const Tenant = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  tenantOf(context.switchToHttp().getRequest<{ user?: AuthenticatedClient }>().user),
);
