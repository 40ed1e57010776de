import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { UnauthorizedError } from '../errors/messaging.errors.js';
import { JWT_STRATEGY_NAME } from '../messaging.constants.js';
import type { AuthenticatedClient } from './authenticated-client.js';

/** Runs the module's JWT strategy; every failure becomes UNAUTHORIZED (never a reason that helps an attacker). */
@Injectable()
export class MessagingJwtAuthGuard extends AuthGuard(JWT_STRATEGY_NAME) {
  override handleRequest<TUser = AuthenticatedClient>(err: unknown, user: TUser | false): TUser {
    if (err || !user) throw new UnauthorizedError();
    return user;
  }
}
