import { applyDecorators, Controller, UseFilters, UseGuards, UsePipes, type CanActivate, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '../common/swagger.js';
import { JsonBodyGuard } from '../body/json-body.guard.js';
import { ErrorCode } from '../errors/error-codes.js';
import { MessagingExceptionFilter } from '../errors/messaging-exception.filter.js';
import { FASTIFY_ROUTE_CONFIG_METADATA, MESSAGING_ROUTE_CONFIG } from '../errors/pre-handler-errors.js';
import { createMessagingValidationPipe } from '../errors/validation.pipe.js';
import { ApiErrorResponses, COMMON_ERROR_CODES } from '../openapi/api-error-responses.js';
import { MessagingAuthGuard } from './messaging-auth.guard.js';
import { MessagingThrottlerGuard } from './throttler.guard.js';
import type { MessagingScope } from '../common/scopes.js';
import { MessagingScopeGuard, RequiresScope } from './requires-scope.decorator.js';

/**
 * Either public (no token: health, and the metrics scrape with its own
 * guard), or the scope every route of the controller needs (a route can ask
 * for another one with `@RequiresScope`). Required, so no new controller is
 * open to every token by oversight. `unthrottled` leaves the routes out of
 * the rate limit (the metrics scrape must not spend a client's budget).
 */
export type MessagingControllerOptions = ({ public: true; scope?: never } | { public?: false; scope: MessagingScope }) & {
  unthrottled?: boolean;
  /** The throttler guard, when not MessagingThrottlerGuard (the batch routes count each message). */
  throttler?: Type<CanActivate>;
};

/**
 * Every controller of the module: its route (relative to the module's route
 * prefix, `messaging` unless the host sets `routePrefix`: MessagingModule
 * mounts its controllers there with Nest's RouterModule), our exception
 * filter and validation pipe, authentication (unless public: the JWT check or
 * the host's guard), the route's scope (MessagingScopeGuard) and the throttler, after JsonBodyGuard (a body must be
 * JSON, whatever parsers the host registered). Bound here rather than globally so a
 * host app keeps its own behaviour. For OpenAPI it also documents the bearer
 * scheme and the errors every route of the controller can answer.
 */
export function MessagingController(path: string, options: MessagingControllerOptions): ClassDecorator {
  const guards = [
    JsonBodyGuard,
    ...(options.public ? [] : [MessagingAuthGuard, MessagingScopeGuard]),
    ...(options.unthrottled ? [] : [options.throttler ?? MessagingThrottlerGuard]),
  ];
  const common = options.unthrottled ? [ErrorCode.INTERNAL_ERROR] : COMMON_ERROR_CODES;
  const documentation = options.public
    ? [ApiErrorResponses(...common)]
    : [
        ApiBearerAuth(),
        ApiErrorResponses(ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN, ...common),
        RequiresScope(options.scope),
      ];
  return applyDecorators(
    Controller(path),
    ApiTags(path),
    ...documentation,
    UseFilters(MessagingExceptionFilter),
    UsePipes(createMessagingValidationPipe()),
    UseGuards(...guards),
    markMessagingRoutes,
  );
}

/** Fastify route config on each handler, so PreHandlerErrorEnvelope knows the module's routes. */
function markMessagingRoutes(target: object): void {
  const prototype = (target as { prototype: Record<string, unknown> }).prototype;
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const handler = prototype[name];
    if (name === 'constructor' || typeof handler !== 'function') continue;
    const config = Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as object | undefined;
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...config, ...MESSAGING_ROUTE_CONFIG }, handler);
  }
}
