import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ServiceUnavailableError, UnauthorizedError } from '../errors/messaging.errors.js';
import { JWT_STRATEGY_NAME } from '../messaging.constants.js';
import type { AuthenticatedClient } from './authenticated-client.js';
import { KeysUnavailableError } from './verification-keys.js';

/**
 * Runs the module's JWT strategy; every failure becomes UNAUTHORIZED (never
 * a reason that helps an attacker), except an identity provider whose keys
 * cannot be fetched: that is 503 SERVICE_UNAVAILABLE, since the token may be
 * fine and the client should retry rather than fetch a new one.
 */
@Injectable()
export class MessagingJwtAuthGuard extends AuthGuard(JWT_STRATEGY_NAME) {
  override handleRequest<TUser = AuthenticatedClient>(err: unknown, user: TUser | false, info?: unknown): TUser {
    if (info instanceof KeysUnavailableError) {
      throw new ServiceUnavailableError("The identity provider's signing keys cannot be fetched; retry later");
    }
    if (err || !user) throw new UnauthorizedError();
    return user;
  }
}
