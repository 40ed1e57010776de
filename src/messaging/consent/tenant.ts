import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedClient } from '../auth/authenticated-client.js';

/**
 * Whose suppression list a request reads and writes. The one place the consent features learn the
 * tenant: until tenants exist (the access-control issue) it is the token's `sub`; when
 * AuthenticatedClient gains `tenant`, only this function changes.
 */
export function tenantOf(client: AuthenticatedClient | undefined): string {
  return client?.subject ?? 'anonymous';
}

/** The caller's tenant (tenantOf), as a handler parameter. */
export const Tenant = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  tenantOf(context.switchToHttp().getRequest<{ user?: AuthenticatedClient }>().user),
);
