import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { isAdmin } from '../common/scopes.js';
import { tenantOf, type AuthenticatedClient } from './authenticated-client.js';

/** Whose rows the caller may see: its tenant, or every tenant when it is an admin. */
export interface CallerView {
  tenant: string;
  admin: boolean;
}

/** The authenticated caller's view of the message log (see CallerView). */
export const CallerScope = createParamDecorator((_data: unknown, context: ExecutionContext): CallerView => {
  const user = context.switchToHttp().getRequest<{ user?: AuthenticatedClient }>().user;
  return { tenant: tenantOf(user), admin: isAdmin(user) };
});
