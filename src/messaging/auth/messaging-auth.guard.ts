import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { isObservable, lastValueFrom } from 'rxjs';
import { UnauthorizedError } from '../errors/messaging.errors.js';

/**
 * The guard that decides who may call the module's routes: the module's JWT
 * guard, or the host's `auth.guard`. Chosen once at boot from the options.
 */
export const MESSAGING_AUTH_DELEGATE = Symbol('MESSAGING_AUTH_DELEGATE');

/**
 * Bound on every non-public controller of the module. It delegates to the
 * chosen guard so the decorator stays static while the host picks the check,
 * and turns a `false` answer into UNAUTHORIZED (a thrown error passes through
 * to the module's exception filter, which maps 401/403 to UNAUTHORIZED).
 */
@Injectable()
export class MessagingAuthGuard implements CanActivate {
  constructor(@Inject(MESSAGING_AUTH_DELEGATE) private readonly delegate: CanActivate) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const answer = this.delegate.canActivate(context);
    const allowed = isObservable(answer) ? await lastValueFrom(answer) : await answer;
    if (!allowed) throw new UnauthorizedError();
    return true;
  }
}
