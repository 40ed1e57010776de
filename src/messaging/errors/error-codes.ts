/** Every error code the API can answer with, and its HTTP status. */
export const ErrorCode = {
  VALIDATION_ERROR: 'VALIDATION_ERROR',
  UNAUTHORIZED: 'UNAUTHORIZED',
  PROVIDER_NOT_CONFIGURED: 'PROVIDER_NOT_CONFIGURED',
  TEMPLATE_NOT_FOUND: 'TEMPLATE_NOT_FOUND',
  SEND_FAILED: 'SEND_FAILED',
  RATE_LIMITED: 'RATE_LIMITED',
  NOT_FOUND: 'NOT_FOUND',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
  QUEUE_NOT_CONFIGURED: 'QUEUE_NOT_CONFIGURED',
  MESSAGE_NOT_CANCELLABLE: 'MESSAGE_NOT_CANCELLABLE',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  PROVIDER_NOT_CONFIGURED: 400,
  TEMPLATE_NOT_FOUND: 404,
  SEND_FAILED: 500,
  RATE_LIMITED: 429,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
  QUEUE_NOT_CONFIGURED: 400,
  MESSAGE_NOT_CANCELLABLE: 409,
};

/** The body of every error response: `{"error":{"code","message","details"?}}`. */
export interface ErrorEnvelope {
  error: {
    code: ErrorCode;
    message: string;
    details?: Record<string, unknown>;
  };
}
