import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { tenantOf, type AuthenticatedClient } from '../auth/authenticated-client.js';

/** Whose suppression list a request reads and writes: the caller's tenant, the owner of its log rows too. */
export { tenantOf };

/** The caller's tenant (tenantOf), as a handler parameter. */
export const Tenant = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  tenantOf(context.switchToHttp().getRequest<{ user?: AuthenticatedClient }>().user),
);
