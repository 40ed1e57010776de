import type { ProviderFailureKind } from '../provider-failure.js';
import type { TwilioFailure } from './twilio-errors.js';

/**
 * HTTP statuses of a 4xx answer that concern the account or the address
 * (wrong or revoked credentials, a suspended account, no such account on
 * this endpoint), not the message: another account may send it.
 */
const ACCOUNT_STATUSES = new Set([401, 403, 404]);

/**
 * Whether another Twilio account or endpoint may be tried after this
 * failure (see ProviderFailureKind):
 *
 * - 5xx, 429, and network failures (refused, reset, DNS, TLS...): Twilio did
 *   not take the message, try the next one.
 * - 401/403/404: this account or endpoint cannot send, try the next one.
 * - any other 4xx (21211 invalid number, 21610 unsubscribed...): Twilio
 *   refused this message; that is the answer.
 * - a timeout, or anything unexpected: Twilio may have created the message
 *   without us hearing back; that is the answer too (no duplicate).
 */
export function twilioFailoverKind(failure: TwilioFailure): ProviderFailureKind {
  switch (failure.kind) {
    case 'server':
    case 'throttled':
    case 'network':
      return 'transient';
    case 'rejected':
      return failure.httpStatus !== undefined && ACCOUNT_STATUSES.has(failure.httpStatus) ? 'transient' : 'permanent';
    case 'timeout':
    case 'unknown':
      return 'ambiguous';
  }
}
