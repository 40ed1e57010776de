import { ProviderSendError, type ProviderFailureKind } from '../provider-failure.js';
import { smtpFailoverKind } from '../smtp/smtp-failover.js';
import type { EmailProvider, OutgoingEmail } from '../email.provider.js';
import type { ProviderReceipt } from '../provider.interface.js';
import { newMessageId, transportMail, type TransportMail } from '../nodemailer-mail.js';

export type { TransportMail, TransportMailbox } from '../nodemailer-mail.js';

/**
 * What the adapter needs of a transport: a nodemailer transporter
 * (`nodemailer.createTransport(...)`: SMTP, SES, sendmail, stream...) has it.
 */
export interface MailTransport {
  sendMail(mail: TransportMail): Promise<{ messageId?: string; rejected?: unknown[] }>;
  /** Used by /messaging/health when present; a transport without it counts as connected. */
  verify?(): Promise<unknown>;
}

export interface NodemailerEmailProviderOptions {
  /** Default From header, e.g. `"App <no-reply@example.com>"`. */
  from: string;
  /** Name on log rows and in /messaging/health. Default `nodemailer`. */
  name?: string;
}

/**
 * The email port over a nodemailer transport the host built itself, for
 * relays that are not plain SMTP settings:
 * `MessagingModule.forRoot({ ..., providers: { email: new NodemailerEmailProvider(transport, { from }) } })`.
 * Sends once (no retries: the transport's own policy applies); any failure is
 * SEND_FAILED without the transport's internals. The host owns the transport
 * (and closes it).
 */
export class NodemailerEmailProvider implements EmailProvider {
  readonly name: string;
  private readonly from: string;

  constructor(
    private readonly transport: MailTransport,
    options: NodemailerEmailProviderOptions,
  ) {
    this.name = options.name ?? 'nodemailer';
    this.from = options.from;
  }

  async send(email: OutgoingEmail): Promise<ProviderReceipt> {
    const messageId = email.messageId ?? newMessageId(email.from ?? this.from);
    let info: { messageId?: string; rejected?: unknown[] };
    try {
      info = await this.transport.sendMail(transportMail(email, this.from, messageId));
    } catch (error) {
      // The transport's stream is not ours to watch: a failure without a reply after the set-up may have delivered.
      throw this.failure('the mail transport refused the message', transportFailoverKind(error), replyCodeOf(error));
    }
    if (info.rejected && info.rejected.length > 0) throw this.failure('the mail transport refused a recipient', 'permanent');
    return { messageId: info.messageId ?? messageId };
  }

  async verify(): Promise<void> {
    await this.transport.verify?.();
  }

  private failure(reason: string, failover: ProviderFailureKind, providerCode?: number): ProviderSendError {
    const details = { channel: 'email' as const, provider: this.name, ...(providerCode === undefined ? {} : { providerCode }) };
    return new ProviderSendError(`Failed to send email: ${reason}`, details, failover);
  }
}

/** What another provider may make of a transport error (nodemailer's codes are shared by its transports). */
export function transportFailoverKind(error: unknown): ProviderFailureKind {
  return smtpFailoverKind(error instanceof Error ? error : new Error(String(error)), undefined);
}

/** The SMTP reply code nodemailer puts on its errors, when there is one. */
export function replyCodeOf(error: unknown): number | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { responseCode?: unknown }).responseCode : undefined;
  return typeof code === 'number' ? code : undefined;
}
