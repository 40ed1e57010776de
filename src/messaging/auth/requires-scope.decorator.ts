import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { grantsScope, type MessagingScope } from '../common/scopes.js';
import { ForbiddenError } from '../errors/messaging.errors.js';
import { MESSAGING_OPTIONS } from '../messaging.module-definition.js';
import type { MessagingModuleOptions } from '../messaging-options.interface.js';
import type { AuthenticatedClient } from './authenticated-client.js';

const REQUIRED_SCOPE = Symbol('messaging:required-scope');

/**
 * The scope a route (method) or every route of a controller (class) needs;
 * a method's own wins over its class's. `@MessagingController(path, { scope })`
 * sets it for a whole controller; use this on a route that needs another one.
 */
export function RequiresScope(scope: MessagingScope): MethodDecorator & ClassDecorator {
  return SetMetadata(REQUIRED_SCOPE, scope);
}

/** The scope declared for a handler (method first, then its class), for the guard and for tests. */
export function requiredScopeOf(
  reflector: Reflector,
  handler: ReturnType<ExecutionContext['getHandler']>,
  controller: ReturnType<ExecutionContext['getClass']>,
): MessagingScope | undefined {
  return reflector.getAllAndOverride<MessagingScope | undefined, symbol>(REQUIRED_SCOPE, [handler, controller]);
}

/**
 * Bound after authentication on every non-public controller: the caller must
 * hold the route's scope (common/scopes.ts: `messaging:admin` implies every
 * other; without a scope claim, every route but admin ones unless
 * `auth.requireScopes`). Otherwise 403 FORBIDDEN naming the scope. A route
 * that declares no scope is refused: a route someone forgot is closed, not open.
 */
@Injectable()
export class MessagingScopeGuard implements CanActivate {
  private readonly requireScopes: boolean;

  constructor(
    private readonly reflector: Reflector,
    @Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions,
  ) {
    this.requireScopes = options.auth?.requireScopes ?? false;
  }

  canActivate(context: ExecutionContext): boolean {
    const scope = requiredScopeOf(this.reflector, context.getHandler(), context.getClass());
    const caller = context.switchToHttp().getRequest<{ user?: AuthenticatedClient }>().user;
    if (scope === undefined || !grantsScope(caller, scope, this.requireScopes)) throw new ForbiddenError(scope);
    return true;
  }
}
