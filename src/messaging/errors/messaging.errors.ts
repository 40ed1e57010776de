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

/** `details.fields` and the message name at most this many fields; `details.omittedFields` counts the rest. */
export const MAX_LISTED_FIELDS = 10;
/** Each field name echoed back is cut to this many characters (a key can be as long as the body). */
export const MAX_ECHOED_NAME_LENGTH = 100;
/** Each message of a field is cut to this many characters, and a field lists at most this many messages. */
const MAX_FIELD_MESSAGE_LENGTH = 300;
const MAX_FIELD_MESSAGES = 5;
/** The message as a whole: the listed names and a prefix fit easily. */
const MAX_MESSAGE_LENGTH = 1_500;

/**
 * `details.fields` lists the bad fields; absent when the body as a whole is
 * unreadable. The list is capped (MAX_LISTED_FIELDS, then `omittedFields`:
 * how many more there were) and every echoed name and message is cut short,
 * so the answer to a request with 120,000 unknown keys stays a few KB
 * instead of being larger than the request.
 */
export class ValidationError extends MessagingError {
  constructor(message: string, fields: FieldError[] = []) {
    super(ErrorCode.VALIDATION_ERROR, cut(message, MAX_MESSAGE_LENGTH), fieldDetails(fields));
  }

  /** `<prefix>: to, cc[1], … and 12 more`: names the first fields, counts the rest. */
  static listing(prefix: string, fields: FieldError[]): ValidationError {
    const names = fields.slice(0, MAX_LISTED_FIELDS).map((f) => cut(f.field, MAX_ECHOED_NAME_LENGTH));
    const rest = fields.length - names.length;
    return new ValidationError(`${prefix}: ${names.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`, fields);
  }
}

function fieldDetails(fields: FieldError[]): Record<string, unknown> | undefined {
  if (fields.length === 0) return undefined;
  const listed = fields.slice(0, MAX_LISTED_FIELDS).map((f) => ({
    field: cut(f.field, MAX_ECHOED_NAME_LENGTH),
    errors: f.errors.slice(0, MAX_FIELD_MESSAGES).map((e) => cut(e, MAX_FIELD_MESSAGE_LENGTH)),
  }));
  const omitted = fields.length - listed.length;
  return omitted > 0 ? { fields: listed, omittedFields: omitted } : { fields: listed };
}

/** `text`, or its first `max` characters and "…" (never splitting a surrogate pair). */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}

export class UnauthorizedError extends MessagingError {
  constructor(message = 'Missing or invalid bearer token') {
    super(ErrorCode.UNAUTHORIZED, message);
  }
}

/** The token is valid but lacks the route's scope (`details.scope`). */
export class ForbiddenError extends MessagingError {
  constructor(scope?: string, message?: string) {
    super(
      ErrorCode.FORBIDDEN,
      message ?? (scope ? `This route needs the ${scope} scope` : 'This route is not open to this token'),
      scope ? { scope } : undefined,
    );
  }
}

export type Channel = ChannelName;

export class ProviderNotConfiguredError extends MessagingError {
  constructor(readonly channel: Channel) {
    super(ErrorCode.PROVIDER_NOT_CONFIGURED, `No ${channel} provider is configured`, { channel });
  }
}

export class TemplateNotFoundError extends MessagingError {
  /** With `channel`: the template exists but has nothing for that channel (an email-only template sent as SMS). */
  constructor(template: string, channel?: 'email' | 'sms' | 'whatsapp') {
    super(
      ErrorCode.TEMPLATE_NOT_FOUND,
      channel === undefined ? `Template "${template}" does not exist` : `Template "${template}" has no ${channel} version`,
      channel === undefined ? { template } : { template, channel },
    );
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
  constructor(
    readonly retryAfterSeconds: number,
    message = 'Too many requests, retry later',
  ) {
    super(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds });
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
  constructor(limitBytes?: number, message = 'Request body is too large') {
    super(
      ErrorCode.PAYLOAD_TOO_LARGE,
      message,
      limitBytes === undefined ? undefined : { limitBytes },
    );
  }
}

/** A body that is not JSON, not declared as UTF-8, or sent with a Content-Encoding: the API reads plain JSON only. */
export class UnsupportedMediaTypeError extends MessagingError {
  constructor(message = 'Unsupported Content-Type: send application/json') {
    super(ErrorCode.UNSUPPORTED_MEDIA_TYPE, message);
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

/**
 * A provider's webhook without a valid signature (missing, wrong, made for
 * another URL, or from an account this service does not know), or any
 * webhook while no public base URL is set (nothing can be checked then).
 * The message never says which: a forger learns nothing from it.
 */
export class InvalidSignatureError extends MessagingError {
  constructor() {
    super(ErrorCode.INVALID_SIGNATURE, 'Missing or invalid webhook signature');
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

/** Every recipient of the message is suppressed for its category: nothing was sent. */
export class RecipientSuppressedError extends MessagingError {
  constructor(channel: Channel, suppressed: string[]) {
    super(ErrorCode.RECIPIENT_SUPPRESSED, 'Every recipient is on the suppression list; nothing was sent', { channel, suppressed });
  }
}
