import { ErrorCode } from '../errors/error-codes.js';
import { InternalError, MessagingError } from '../errors/messaging.errors.js';
import type { StoredResponse } from './idempotency-record.schema.js';

/**
 * Response headers that are part of the answer and replayed with it
 * (lower-case). `Preference-Applied: respond-async` tells the client a 202
 * was an accepted-for-delivery answer; a replay must say the same.
 */
export const REPLAYED_RESPONSE_HEADERS = ['preference-applied'] as const;

/**
 * Whether a handler's normal answer is kept for replay: every 2xx (a 200
 * send, a 202 accepted for async delivery, whatever the handler produced),
 * and anything else once a provider was called. Otherwise the key is
 * released.
 */
export function keepsAnswer(status: number, providerCalled: boolean): boolean {
  return (status >= 200 && status < 300) || providerCalled;
}

/** The answer to store for a handler's normal return. */
export function storedAnswer(status: number, body: unknown, headers: Record<string, string> = {}): StoredResponse {
  const response: StoredResponse = { status, body: body === undefined ? '' : JSON.stringify(body) };
  if (Object.keys(headers).length > 0) response.headers = headers;
  return response;
}

/**
 * The answer to store for a failed request, or undefined to release the key.
 *
 * SEND_FAILED is kept: the provider was called (it refused, or did not
 * answer in time, in which case it may even have delivered), and a retry with
 * the same key must not call it again: the client gets the same failure and
 * decides, with a new key, whether to send again. Any other error after a
 * provider call is kept for the same reason, as the INTERNAL_ERROR envelope
 * the exception filter answers with. Errors before any provider call
 * (VALIDATION_ERROR, PROVIDER_NOT_CONFIGURED, TEMPLATE_NOT_FOUND,
 * SERVICE_UNAVAILABLE, …) sent nothing: the key is released so the client
 * can fix the request, or wait out the outage, and retry with the same key.
 */
export function storedFailure(error: unknown, providerCalled: boolean): StoredResponse | undefined {
  const known = error instanceof MessagingError ? error : undefined;
  if (!providerCalled && known?.code !== ErrorCode.SEND_FAILED) return undefined;
  const answer = known ?? new InternalError();
  return { status: answer.status, body: JSON.stringify(answer.toEnvelope()) };
}

/** The stored body as the value to send again (the empty string stands for "no body"). */
export function replayedBody(response: StoredResponse): unknown {
  return response.body === '' ? undefined : (JSON.parse(response.body) as unknown);
}
