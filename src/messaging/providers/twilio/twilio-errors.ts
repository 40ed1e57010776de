/**
 * What went wrong with one Twilio call, classified by the status and code
 * fields Twilio and its HTTP client attach to their errors (never by
 * matching message text).
 *
 * - `rejected`: Twilio answered 4xx (bad number, unsubscribed, bad
 *   credentials...). Sending the same request again gives the same answer.
 * - `throttled`: Twilio answered 429. Worth another try after a pause.
 * - `server`: Twilio answered 5xx. Worth another try.
 * - `network`: no answer because the connection failed. Retried only for
 *   error codes that mean "try again" (refused, reset, temporary DNS failure).
 * - `timeout`: no answer within the deadline. Never retried: Twilio may
 *   already have accepted the message, and a retry would multiply the
 *   caller's wait by the number of attempts.
 * - `unknown`: anything else (a malformed answer, a bug); not retried.
 */
export type TwilioFailureKind = 'rejected' | 'throttled' | 'server' | 'network' | 'timeout' | 'unknown';

export interface TwilioFailure {
  kind: TwilioFailureKind;
  /** Whether sending the same request again may succeed. */
  retryable: boolean;
  /** Twilio's own error code (21211, 20003, ...), when Twilio answered with one. */
  providerCode?: number;
  /** HTTP status of Twilio's answer, when there was one. */
  httpStatus?: number;
  /** Why, in words safe to show a client: no credentials, no internal addresses. */
  reason: string;
}

/** Our deadline on a Twilio call expired (see common/deadline.ts). */
export class TwilioTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Twilio did not answer within ${timeoutMs} ms`);
    this.name = 'TwilioTimeoutError';
  }
}

/** Connection failures after which the request most likely never reached Twilio, or may pass next time. */
const TRANSIENT_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);
/** Codes axios uses when its own timer fires. */
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);
/** Twilio's messages are short; anything longer is not a Twilio message. */
const MAX_REASON_LENGTH = 300;

/** Classifies an error thrown by the Twilio SDK (or by our deadline). */
export function classifyTwilioError(error: unknown): TwilioFailure {
  if (error instanceof TwilioTimeoutError) {
    return { kind: 'timeout', retryable: false, reason: error.message };
  }
  if (isRecord(error) && error['isAxiosError'] === true) {
    return classifyTransportError(typeof error['code'] === 'string' ? error['code'] : undefined);
  }
  if (isRecord(error) && typeof error['status'] === 'number') {
    return classifyApiError(error['status'], error['code'], error['message']);
  }
  return { kind: 'unknown', retryable: false, reason: 'unexpected error while calling Twilio' };
}

/** Twilio answered with an error status (RestException, or an RFC 9457 TwilioServiceException). */
function classifyApiError(status: number, code: unknown, message: unknown): TwilioFailure {
  const providerCode = typeof code === 'number' && Number.isInteger(code) ? code : undefined;
  const text = typeof message === 'string' ? sanitizeReason(message) : '';
  const reason = text || `Twilio answered HTTP ${status}`;
  const base = { httpStatus: status, reason, ...(providerCode === undefined ? {} : { providerCode }) };
  if (status === 429) return { kind: 'throttled', retryable: true, ...base };
  if (status >= 500) return { kind: 'server', retryable: true, ...base };
  return { kind: 'rejected', retryable: false, ...base };
}

/** No HTTP answer: the connection failed, or axios' own timer fired. */
function classifyTransportError(code: string | undefined): TwilioFailure {
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return { kind: 'timeout', retryable: false, reason: 'Twilio did not answer in time' };
  }
  const retryable = code !== undefined && TRANSIENT_NETWORK_CODES.has(code);
  return { kind: 'network', retryable, reason: `could not reach Twilio (${code ?? 'connection failed'})` };
}

/** Single line, printable, bounded: the text comes from a remote server. */
function sanitizeReason(message: string): string {
  const oneLine = message.replace(/\p{Cc}+/gu, ' ').trim();
  return oneLine.length > MAX_REASON_LENGTH ? `${oneLine.slice(0, MAX_REASON_LENGTH - 1)}…` : oneLine;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
