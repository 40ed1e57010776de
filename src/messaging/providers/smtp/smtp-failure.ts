import type { NodemailerError } from 'nodemailer';
import { ProviderSendError, type ProviderFailureKind } from '../provider-failure.js';
import { smtpFailoverKind } from './smtp-failover.js';

/** Name of the SMTP provider on log rows, errors and health. */
export const SMTP_PROVIDER_NAME = 'smtp';

/**
 * A failed SMTP attempt. `transient` failures (connection refused or lost,
 * timeouts, 4xx replies) may succeed when tried again; permanent ones (5xx
 * replies, TLS or authentication problems) never are retried.
 * `failover` (see smtpFailoverKind) tells whether another relay may be tried.
 */
export class SmtpSendError extends ProviderSendError {
  constructor(
    private readonly reason: string,
    override readonly transient: boolean,
    providerCode?: number,
    /** The relay's name on log rows (`smtp`, `smtp-2`...) and what another relay should make of this. */
    origin: { provider?: string; failover?: ProviderFailureKind } = {},
  ) {
    super(
      `Failed to send email: ${reason}`,
      {
        channel: 'email',
        provider: origin.provider ?? SMTP_PROVIDER_NAME,
        ...(providerCode === undefined ? {} : { providerCode }),
      },
      origin.failover ?? (transient ? 'transient' : 'permanent'),
    );
  }

  /** The same failure, known to have perhaps delivered the message (an earlier attempt handed it over). */
  asAmbiguous(): SmtpSendError {
    const { provider, providerCode } = this.details as { provider: string; providerCode?: number };
    return new SmtpSendError(this.reason, this.transient, providerCode, { provider, failover: 'ambiguous' });
  }
}

/** True when the error may go away by itself, so the same message may be tried again. */
export function isTransientSmtpError(error: unknown): boolean {
  return error instanceof SmtpSendError && error.transient;
}

/**
 * Maps whatever nodemailer rejected with to an SmtpSendError (message safe
 * to show clients), named after `provider`. `handedOver` says whether the
 * whole message went to the server in this attempt (undefined: not known).
 */
export function toSmtpSendError(error: unknown, provider = SMTP_PROVIDER_NAME, handedOver?: boolean): SmtpSendError {
  const failure = asNodemailerError(error);
  const replyCode = failure.responseCode;
  const origin = { provider, failover: smtpFailoverKind(failure, handedOver) };
  if (typeof replyCode === 'number' && replyCode >= 400) {
    // RFC 5321: 4yz is a transient negative reply, 5yz a permanent one.
    return new SmtpSendError(describeReply(failure, replyCode), replyCode < 500, replyCode, origin);
  }
  const known = failure.code === undefined ? undefined : FAILURES.get(failure.code);
  if (known) return new SmtpSendError(known.reason(failure), known.transient, undefined, origin);
  return new SmtpSendError('the SMTP server could not be used', false, undefined, origin);
}

/** Failures without an SMTP reply, by nodemailer error code. */
const FAILURES = new Map<string, { reason: (failure: NodemailerError) => string; transient: boolean }>([
  ['ETIMEDOUT', { reason: () => 'the SMTP server did not answer in time', transient: true }],
  // Our own per-attempt deadline (see SmtpEmailProvider) aborts a stalled attempt.
  ['EABORT', { reason: () => 'the SMTP server did not answer in time', transient: true }],
  ['ECONNECTION', { reason: describeConnectionFailure, transient: true }],
  ['ESOCKET', { reason: describeConnectionFailure, transient: true }],
  ['EDNS', { reason: () => 'the SMTP host name could not be resolved', transient: false }],
  ['ETLS', { reason: () => 'the TLS handshake with the SMTP server failed', transient: false }],
  ['EAUTH', { reason: () => 'the SMTP server refused the login', transient: false }],
  ['ENOAUTH', { reason: () => 'the SMTP server refused the login', transient: false }],
]);

function describeReply(failure: NodemailerError, replyCode: number): string {
  if (failure.code === 'EAUTH') return `the SMTP server refused the login (${replyCode})`;
  if (failure.command === 'RCPT TO') {
    const rejected = failure.rejected ?? (failure.recipient ? [failure.recipient] : []);
    const who = rejected.length > 0 ? ` ${rejected.join(', ')}` : 's';
    return `the SMTP server refused recipient${who} (${replyCode})`;
  }
  if (failure.command === 'MAIL FROM') return `the SMTP server refused the sender (${replyCode})`;
  return `the SMTP server refused the message (${replyCode})`;
}

function describeConnectionFailure(failure: NodemailerError): string {
  const cause = failure.originalCode ?? failure.code;
  if (cause === 'ECONNREFUSED') return 'connection refused';
  if (cause === 'ECONNRESET' || failure.code === 'ECONNECTION') return 'the connection to the SMTP server was lost';
  return 'the SMTP server could not be reached';
}

function asNodemailerError(error: unknown): NodemailerError {
  if (error instanceof Error) return error;
  return new Error(String(error));
}
