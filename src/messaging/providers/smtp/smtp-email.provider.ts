import { Logger, type OnModuleDestroy } from '@nestjs/common';
import nodemailer, { type SMTPPoolSentMessageInfo, type Transporter } from 'nodemailer';
import type { SmtpOptions } from '../../messaging-options.interface.js';
import type { EmailProvider, OutgoingEmail } from '../email.provider.js';
import type { ProviderReceipt } from '../provider.interface.js';
import { newMessageId, transportMail } from '../nodemailer-mail.js';
import { withRetries, type RetryPolicy } from '../../common/retry.js';
import { isTransientSmtpError, SMTP_PROVIDER_NAME, SmtpSendError, toSmtpSendError } from './smtp-failure.js';
import {
  DEFAULT_SMTP_TIMEOUT_MS,
  smtpAuth,
  smtpConnectionOptions,
  smtpPoolOptions,
} from './smtp-transport-options.js';
import { verifySmtpServer } from './smtp-verify.js';
import { SmtpHandovers } from './smtp-handover.js';
import { describeError } from '../../common/describe-error.js';

/** Three attempts at most, 250 ms then 500 ms apart: enough for a blip, short enough for an HTTP request. */
export const DEFAULT_SMTP_RETRY: RetryPolicy = { maxRetries: 2, backoffMs: 250 };

/**
 * One attempt may take at most this many SMTP timeouts in total, so a server
 * that trickles its replies (which no socket timeout notices) cannot hold a
 * request forever.
 */
const ATTEMPT_DEADLINE_IN_TIMEOUTS = 3;

/**
 * The email port over SMTP: one pooled nodemailer transport built from the
 * options, immutable afterwards, closed with the module. It is our own
 * transport (not @nestjs-modules/mailer's global MailerService), so a host
 * app's MailerModule keeps working beside it.
 */
export class SmtpEmailProvider implements EmailProvider, OnModuleDestroy {
  private readonly transport: Transporter<SMTPPoolSentMessageInfo>;
  private readonly attemptDeadlineMs: number;
  private readonly logger = new Logger('SmtpEmailProvider');
  private readonly handovers = new SmtpHandovers();

  constructor(
    private readonly options: SmtpOptions,
    /** Recipients (to+cc+bcc) one message may have; the transport refuses more. */
    maxRecipients: number,
    private readonly retry: RetryPolicy = DEFAULT_SMTP_RETRY,
    /** Name on log rows, errors and health: `smtp`, or `smtp-2`, `smtp-3`... for failover relays. */
    readonly name: string = SMTP_PROVIDER_NAME,
  ) {
    this.transport = nodemailer.createTransport(smtpPoolOptions(options, maxRecipients), { from: options.from });
    this.handovers.install(this.transport);
    // Sends report their own failures; this only keeps a stray transport error from crashing the process.
    this.transport.on('error', (error: Error) => this.logger.warn(`SMTP transport error: ${describeError(error)}`));
    this.attemptDeadlineMs = (options.timeoutMs ?? DEFAULT_SMTP_TIMEOUT_MS) * ATTEMPT_DEADLINE_IN_TIMEOUTS;
  }

  /**
   * Sends the mail, retrying transient failures (connection, timeout, 4xx)
   * within the retry policy; 5xx rejections fail at once. Every attempt
   * carries the same Message-ID (the caller's `email.messageId`, else a new
   * one), which is what the receipt returns.
   *
   * Once an attempt may have delivered (whole message out, no reply), the
   * final failure says `ambiguous` whatever later attempts met, so no other
   * relay sends it again (see smtpFailoverKind).
   */
  async send(email: OutgoingEmail): Promise<ProviderReceipt> {
    const messageId = email.messageId ?? newMessageId(this.options.from);
    let mayHaveDelivered = false;
    const attempt = async () => {
      try {
        return await this.attempt(email, messageId);
      } catch (error) {
        if (error instanceof SmtpSendError && error.failover === 'ambiguous') mayHaveDelivered = true;
        throw error;
      }
    };
    try {
      return await withRetries(attempt, this.retry, { isRetryable: isTransientSmtpError });
    } catch (error) {
      if (mayHaveDelivered && error instanceof SmtpSendError && error.failover === 'transient') throw error.asAmbiguous();
      throw error;
    }
  }

  verify(signal: AbortSignal): Promise<void> {
    return verifySmtpServer(smtpConnectionOptions(this.options), smtpAuth(this.options), signal);
  }

  onModuleDestroy(): void {
    this.transport.close();
  }

  private async attempt(email: OutgoingEmail, messageId: string): Promise<ProviderReceipt> {
    let info: SMTPPoolSentMessageInfo;
    const handover = this.handovers.watch(messageId);
    try {
      info = await this.transport.sendMail({
        ...transportMail(email, this.options.from, messageId),
        signal: AbortSignal.timeout(this.attemptDeadlineMs),
      });
    } catch (error) {
      const failure = toSmtpSendError(error, this.name, handover.handedOver());
      this.logger.warn(`${this.name}: ${failure.message} [${describeError(error)}]`);
      throw failure;
    } finally {
      handover.end();
    }
    if (info.rejected.length > 0) throw this.partialRejection(info);
    return { messageId: info.messageId };
  }

  /**
   * Some recipients were refused, the others accepted: the mail is out and
   * must not be retried (the accepted ones would get it twice), but the caller
   * must learn who did not get it, so it fails naming them.
   */
  private partialRejection(info: SMTPPoolSentMessageInfo): SmtpSendError {
    const replyCode = info.rejectedErrors?.find((e) => typeof e.responseCode === 'number')?.responseCode;
    const failure = new SmtpSendError(
      `the SMTP server refused recipient ${info.rejected.join(', ')}` +
        `${replyCode === undefined ? '' : ` (${replyCode})`}; it accepted the message ${info.messageId} for the others`,
      false,
      replyCode,
      { provider: this.name },
    );
    this.logger.warn(failure.message);
    return failure;
  }
}
