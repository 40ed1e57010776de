import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { API_RESPONSE_METADATA, ApiHeader } from '../common/swagger.js';
import { ErrorCode } from '../errors/error-codes.js';
import { ApiErrorResponses } from '../openapi/api-error-responses.js';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_OPENAPI_PATTERN,
  IDEMPOTENT_REPLAYED_HEADER,
  MAX_IDEMPOTENCY_KEY_LENGTH,
} from './idempotency-key.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';

const KEY_DESCRIPTION =
  'Makes the send safe to retry: the same key with the same body within 24 hours answers the first ' +
  "request's answer again (with `Idempotent-Replayed: true`) and sends nothing. Scoped to the token's tenant and subject. " +
  'Visible ASCII (0x21-0x7E), 1 to 255 characters. Without it, every request sends.';

const REPLAYED_HEADER = {
  [IDEMPOTENT_REPLAYED_HEADER]: {
    description: 'Present (`true`) when this is the stored answer of an earlier request with the same Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  },
};

/**
 * Marks a send route: the `Idempotency-Key` header is honoured
 * (IdempotencyInterceptor) and documented, with its 409 and the replay
 * header. Put it ABOVE the route's other response decorators: it adds the
 * replay header to the responses already declared (2xx, and the 500 that a
 * stored SEND_FAILED replays), and decorators apply bottom-up.
 */
export function IdempotentSend(): MethodDecorator {
  return applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: IDEMPOTENCY_KEY_HEADER,
      required: false,
      description: KEY_DESCRIPTION,
      schema: { type: 'string', minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH, pattern: IDEMPOTENCY_KEY_OPENAPI_PATTERN },
    }),
    ApiErrorResponses(ErrorCode.IDEMPOTENCY_CONFLICT),
    documentReplayHeader,
  );
}

/** Response metadata as @nestjs/swagger keeps it on the method: status → response object. */
type ResponsesMetadata = Record<string, { headers?: Record<string, unknown> } & Record<string, unknown>>;

/** Adds `Idempotent-Replayed` to every declared answer a replay can repeat: 2xx and 500. */
function documentReplayHeader(_target: object, _key: string | symbol, descriptor: PropertyDescriptor): void {
  const method = descriptor.value as object;
  const responses = Reflect.getMetadata(API_RESPONSE_METADATA, method) as ResponsesMetadata | undefined;
  if (!responses) return;
  const updated: ResponsesMetadata = {};
  for (const [status, response] of Object.entries(responses)) {
    const replayable = /^2\d\d$/.test(status) || status === '500';
    updated[status] = replayable ? { ...response, headers: { ...response.headers, ...REPLAYED_HEADER } } : response;
  }
  Reflect.defineMetadata(API_RESPONSE_METADATA, updated, method);
}
