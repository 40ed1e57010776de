import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '../common/swagger.js';
import { ERROR_STATUS, ErrorCode } from '../errors/error-codes.js';

/** What each error code means, as the OpenAPI document says it. */
const ERROR_MEANING: Readonly<Record<ErrorCode, string>> = {
  VALIDATION_ERROR:
    'the body, query or JSON is invalid; `details.fields` lists the first 10 fields, `details.omittedFields` counts the rest',
  UNAUTHORIZED: 'missing, malformed, expired or badly signed bearer token',
  FORBIDDEN:
    "the token lacks the route's scope (`details.scope`), or `?tenant=` without `messaging:admin`; GET metrics from outside loopback with neither a `METRICS_TOKEN` configured nor an admin token",
  PROVIDER_NOT_CONFIGURED: "the channel's provider has no configuration",
  TEMPLATE_NOT_FOUND: 'unknown template name',
  SEND_FAILED:
    'the provider refused the message or could not be reached; `details: {channel, provider, providerCode?}`, plus `attempts` (every provider tried) when the channel has failover providers',
  RATE_LIMITED: 'over the throttle; retry after `Retry-After` seconds',
  NOT_FOUND: 'no such resource',
  PAYLOAD_TOO_LARGE: 'the body is over the size limit',
  URI_TOO_LONG: 'a path parameter is over the length limit (standalone service, before routing)',
  HEADERS_TOO_LARGE: 'the request line and headers are over the size limit (standalone service, before routing)',
  REQUEST_TIMEOUT: 'the request took longer than the request timeout to arrive; the connection is closed',
  BAD_REQUEST: 'the HTTP message or URL is malformed (standalone service, before routing)',
  EXPECTATION_FAILED: 'an `Expect` header other than `100-continue` (standalone service, before routing)',
  UNSUPPORTED_MEDIA_TYPE:
    'the body is not `application/json`, declares a charset other than UTF-8, or has a `Content-Encoding`',
  SERVICE_UNAVAILABLE:
    'the message log store is unreachable, or (asynchronous sends) the delivery queue is: nothing was sent',
  INTERNAL_ERROR: 'unexpected error; no internals are shown',
  IDEMPOTENCY_CONFLICT:
    'the `Idempotency-Key` was used with another body or route, or its first request has not finished; nothing was sent',
  QUEUE_NOT_CONFIGURED: '`sendAt`, a batch or a cancellation needs the delivery queue, and no Redis is configured',
  MESSAGE_NOT_CANCELLABLE: 'the message is no longer queued or scheduled; `details.status` says where it is',
  METHOD_NOT_ALLOWED: 'the path exists but not with this method; the `Allow` header lists its methods',
  RECIPIENT_SUPPRESSED:
    'every recipient is on the suppression list for this category; nothing was sent; `details: {channel, suppressed}`',
  INVALID_SIGNATURE:
    'a provider webhook without a valid signature (missing, wrong, made for another URL, unknown account), or any webhook while no public base URL is set; nothing was changed',
};

/** The error envelope `{"error":{"code","message","details"?}}`, `code` limited to `codes`. */
export function errorEnvelopeSchema(codes: readonly ErrorCode[]) {
  return {
    type: 'object' as const,
    required: ['error'],
    additionalProperties: false,
    properties: {
      error: {
        type: 'object' as const,
        required: ['code', 'message'],
        additionalProperties: false,
        properties: {
          code: { type: 'string' as const, enum: [...codes] },
          message: { type: 'string' as const },
          details: { type: 'object' as const, additionalProperties: true },
        },
      },
    },
  };
}

const RETRY_AFTER_HEADER = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'string' } },
};

/**
 * Documents the error answers an operation can give: one response per HTTP
 * status, holding the envelope with exactly the codes that share it.
 * Method-level responses replace class-level ones of the same status, so a
 * method that adds a code to a status must repeat the class's codes for it.
 */
export function ApiErrorResponses(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses = [...byStatus].map(([status, sharing]) =>
    ApiResponse({
      status,
      description: sharing.map((code) => `${code}: ${ERROR_MEANING[code]}`).join('; '),
      schema: errorEnvelopeSchema(sharing),
      ...(sharing.includes(ErrorCode.RATE_LIMITED) ? { headers: RETRY_AFTER_HEADER } : {}),
    }),
  );
  return applyDecorators(...responses);
}

/** Errors every operation of the module can answer: throttling and unexpected failures. */
export const COMMON_ERROR_CODES = [ErrorCode.RATE_LIMITED, ErrorCode.INTERNAL_ERROR] as const;

/** Errors of an operation that takes a JSON body and sends a message through a provider. */
export const SEND_ERROR_CODES = [
  ErrorCode.VALIDATION_ERROR,
  ErrorCode.PROVIDER_NOT_CONFIGURED,
  ErrorCode.QUEUE_NOT_CONFIGURED,
  ErrorCode.PAYLOAD_TOO_LARGE,
  ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  ErrorCode.SEND_FAILED,
  ErrorCode.SERVICE_UNAVAILABLE,
  ErrorCode.RECIPIENT_SUPPRESSED,
  ...COMMON_ERROR_CODES,
] as const;
