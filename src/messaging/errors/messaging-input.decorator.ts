import { createParamDecorator, type ExecutionContext, type Type } from '@nestjs/common';
import { ApiBody } from '../common/swagger.js';
import { createMessagingValidationPipe } from './validation.pipe.js';

type InputSource = 'body' | 'query' | 'params';

/**
 * The request's body, query or path parameters, validated by the module's
 * own pipe only. A host's global pipes run before any pipe of ours, and on
 * `@Body()`/`@Query()`/`@Param()` a host ValidationPipe would validate first
 * with its own options: `whitelist: true` strips the unknown fields we must
 * refuse, and its errors carry no `details.fields`. Nest hands a custom
 * parameter decorator's value to pipes as `type: 'custom'`, which
 * ValidationPipe leaves alone (unless `validateCustomDecorators`), so the
 * raw input reaches our pipe untouched.
 */
function messagingInput(source: InputSource) {
  const read = createParamDecorator((_data: unknown, context: ExecutionContext): unknown => {
    const request = context.switchToHttp().getRequest<Record<InputSource, unknown>>();
    return request[source];
  });
  return (): ParameterDecorator =>
    (target, key, index) => {
      read(createMessagingValidationPipe(true))(target, key, index);
      if (source !== 'body' || key === undefined) return;
      // @Body() would document the request body; a custom decorator does not, so say it here.
      const types = Reflect.getMetadata('design:paramtypes', target, key) as Type<unknown>[] | undefined;
      const descriptor = Object.getOwnPropertyDescriptor(target, key);
      if (types?.[index] && descriptor) ApiBody({ type: types[index], required: true })(target, key, descriptor);
    };
}

/** `@Body()` for the module's routes, safe from a host's global ValidationPipe. */
export const MessagingBody = messagingInput('body');
/** `@Query()` for the module's routes, safe from a host's global ValidationPipe. */
export const MessagingQuery = messagingInput('query');
/** `@Param()` for the module's routes, safe from a host's global ValidationPipe. */
export const MessagingParams = messagingInput('params');
