import { ERROR_STATUS, ErrorCode, type ErrorEnvelope } from './error-codes.js';
import type { ChannelName } from '../common/channel-names.js';

/**
 * Base class of every error this module throws on purpose. The exception
 * filter turns it into the error envelope with `status`; anything that is not
 * a MessagingError (or a known framework error) becomes INTERNAL_ERROR.
 */
export class MessagingError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
    this.status = ERROR_STATUS[code];
  }

  toEnvelope(): ErrorEnvelope {
    const error: ErrorEnvelope['error'] = { code: this.code, message: this.message };
    if (this.details !== undefined) error.details = this.details;
    return { error };
  }
}

/** One invalid field of a request: its path (`to`, `cc[1]`, `media.url`) and why. */
export interface FieldError {
  field: string;
  errors: string[];
}

/** `details.fields` lists each bad field; absent when the body as a whole is unreadable. */
export class ValidationError extends MessagingError {
  constructor(message: string, fields: FieldError[] = []) {
    super(ErrorCode.VALIDATION_ERROR, message, fields.length > 0 ? { fields } : undefined);
  }
}

export class UnauthorizedError extends MessagingError {
  constructor(message = 'Missing or invalid bearer token') {
    super(ErrorCode.UNAUTHORIZED, message);
  }
}

export type Channel = ChannelName;

export class ProviderNotConfiguredError extends MessagingError {
  constructor(readonly channel: Channel) {
    super(ErrorCode.PROVIDER_NOT_CONFIGURED, `No ${channel} provider is configured`, { channel });
  }
}

export class TemplateNotFoundError extends MessagingError {
  constructor(template: string) {
    super(ErrorCode.TEMPLATE_NOT_FOUND, `Template "${template}" does not exist`, { template });
  }
}

export interface SendFailureDetails {
  channel: Channel;
  provider: string;
  /** The provider's own error code (an SMTP reply code, a Twilio error code). */
  providerCode?: string | number;
}

export class SendFailedError extends MessagingError {
  /**
   * Whether the same message may succeed if tried again later (a connection
   * failure, a 4xx SMTP reply, Twilio 5xx/429). False unless the provider
   * says so: the queue workers retry only transient failures.
   */
  readonly transient: boolean;

  constructor(message: string, details: SendFailureDetails, options: { transient?: boolean } = {}) {
    super(ErrorCode.SEND_FAILED, message, { ...details });
    this.transient = options.transient ?? false;
  }
}

export class RateLimitedError extends MessagingError {
  constructor(readonly retryAfterSeconds: number) {
    super(ErrorCode.RATE_LIMITED, 'Too many requests, retry later', { retryAfterSeconds });
  }
}

export class NotFoundError extends MessagingError {
  constructor(message = 'Not found') {
    super(ErrorCode.NOT_FOUND, message);
  }
}

/** A known path asked with a method it does not have; the answer's `Allow` header lists `allowed`. */
export class MethodNotAllowedError extends MessagingError {
  constructor(
    method: string,
    readonly allowed: readonly string[],
  ) {
    super(ErrorCode.METHOD_NOT_ALLOWED, `Method ${method} is not allowed here; use ${allowed.join(', ')}`, {
      allowed: [...allowed],
    });
  }
}

export class PayloadTooLargeError extends MessagingError {
  constructor(limitBytes?: number) {
    super(
      ErrorCode.PAYLOAD_TOO_LARGE,
      'Request body is too large',
      limitBytes === undefined ? undefined : { limitBytes },
    );
  }
}

export class ServiceUnavailableError extends MessagingError {
  constructor(message = 'The message log store is unavailable; nothing was sent') {
    super(ErrorCode.SERVICE_UNAVAILABLE, message);
  }
}

/** `sendAt` or a cancellation needs the delivery queue, and no Redis is configured. */
export class QueueNotConfiguredError extends MessagingError {
  constructor(what: string) {
    super(ErrorCode.QUEUE_NOT_CONFIGURED, `${what} needs the delivery queue: set REDIS_URL (the redis option)`);
  }
}

/** Only a `queued` or `scheduled` message can be cancelled; `details.status` is where it is now. */
export class MessageNotCancellableError extends MessagingError {
  constructor(status: string) {
    super(ErrorCode.MESSAGE_NOT_CANCELLABLE, `The message is ${status} and can no longer be cancelled`, { status });
  }
}

export class InternalError extends MessagingError {
  constructor() {
    super(ErrorCode.INTERNAL_ERROR, 'Internal server error');
  }
}

/**
 * Why an `Idempotency-Key` cannot be honoured: `body_mismatch` (the key was
 * first used for another request) or `in_progress` (the first request has
 * not finished, or its process died mid-send: its outcome is unknown, so
 * nothing is sent rather than risking a duplicate).
 */
export type IdempotencyConflictReason = 'body_mismatch' | 'in_progress';

export class IdempotencyConflictError extends MessagingError {
  constructor(message: string, reason: IdempotencyConflictReason) {
    super(ErrorCode.IDEMPOTENCY_CONFLICT, message, { header: 'Idempotency-Key', reason });
  }
}
