import type { NodemailerError } from 'nodemailer';
import type { ProviderFailureKind } from '../provider-failure.js';

/** nodemailer's codes for a refusal of this message's envelope (MAIL FROM, RCPT TO) or content (DATA). */
const MESSAGE_REFUSALS = new Set(['EENVELOPE', 'EMESSAGE']);
/** Failures of this relay before any mail transaction started: nothing of the message reached it. */
const RELAY_FAILURES = new Set(['EDNS', 'ETLS', 'EAUTH', 'ENOAUTH']);
/** Timeouts of the connection set-up (connect, greeting, STARTTLS), before any mail transaction. */
const SETUP_TIMEOUTS = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT']);

/**
 * Whether another relay may be tried after this failure (see ProviderFailureKind).
 *
 * - A reply is a definite answer. 4xx: not accepted, try elsewhere. 5xx to
 *   the message (MAIL FROM, RCPT TO, DATA): refused, the answer. 5xx to
 *   anything else (greeting, EHLO, AUTH, STARTTLS): this relay will not
 *   serve us, try elsewhere.
 * - No reply, before the mail transaction (refused connection, DNS, TLS,
 *   login, set-up timeouts): nothing reached the relay, try elsewhere.
 * - No reply later (an idle-socket timeout, our attempt deadline, a lost
 *   connection): it depends on `handedOver`. A server delivers only once it
 *   has the final "." of DATA; while the whole message had not gone out it
 *   cannot have delivered (try elsewhere); once it had, it may have (the
 *   answer, so that no second relay delivers it again). Unknown: the same.
 */
export function smtpFailoverKind(failure: NodemailerError, handedOver: boolean | undefined): ProviderFailureKind {
  const replyCode = failure.responseCode;
  if (typeof replyCode === 'number' && replyCode >= 400) {
    if (replyCode < 500) return 'transient';
    return failure.code !== undefined && MESSAGE_REFUSALS.has(failure.code) ? 'permanent' : 'transient';
  }
  if (failure.code !== undefined && MESSAGE_REFUSALS.has(failure.code)) return 'permanent';
  if (failure.code !== undefined && RELAY_FAILURES.has(failure.code)) return 'transient';
  if (failure.code === 'ETIMEDOUT' && failure.timeoutType !== undefined && SETUP_TIMEOUTS.has(failure.timeoutType)) {
    return 'transient';
  }
  if ((failure.originalCode ?? failure.code) === 'ECONNREFUSED') return 'transient';
  return handedOver === false ? 'transient' : 'ambiguous';
}
