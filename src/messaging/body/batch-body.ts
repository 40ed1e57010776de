import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { BATCH_ROUTE_CONFIG } from '../common/batch-limits.js';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '../errors/pre-handler-errors.js';

/**
 * Marks a batch route: the standalone app's body parser gives it BATCH_BODY_LIMIT_BYTES and the batch
 * entry limit (src/body-parser.ts), and JsonBodyGuard applies the batch limits of input-shape to it.
 */
export function AcceptsBatch(): MethodDecorator {
  return (_target, _key, descriptor) => {
    const handler = descriptor.value as object;
    const config = Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as object | undefined;
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...config, ...BATCH_ROUTE_CONFIG }, handler);
  };
}

/**
 * The body of a batch route as parsed, untouched by any pipe: a custom parameter, which the
 * controller's ValidationPipe (and a host's global one) leaves alone. The batch is checked, and
 * each of its messages validated with the single route's DTO, by channels/batch-request.ts.
 */
export const BatchBody = createParamDecorator((_data: unknown, context: ExecutionContext): unknown => {
  return context.switchToHttp().getRequest<{ body?: unknown }>().body;
});
