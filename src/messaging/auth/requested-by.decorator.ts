import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedClient } from './authenticated-client.js';

/** The authenticated token subject, for `requestedBy` on log rows. */
export const RequestedBy = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<{ user?: AuthenticatedClient }>();
  return request.user?.subject ?? 'anonymous';
});
