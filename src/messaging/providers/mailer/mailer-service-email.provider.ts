import { Injectable, type OnModuleInit, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { MessagingOptionsError } from '../../messaging-options.validation.js';
import type { EmailProvider, OutgoingEmail } from '../email.provider.js';
import { replyCodeOf, transportFailoverKind } from '../nodemailer/nodemailer-email.provider.js';
import { transportMail, type TransportMail } from '../nodemailer-mail.js';
import { ProviderSendError, type ProviderFailureKind } from '../provider-failure.js';
import type { ProviderReceipt } from '../provider.interface.js';
import { mailerServiceClass } from './mailer-package.js';

/** The mail handed to the host's MailerService: From and Message-ID only when we have them. */
export type MailerServiceMail = Omit<TransportMail, 'from' | 'messageId'> & { from?: string; messageId?: string };

/**
 * What the provider uses of @nestjs-modules/mailer's MailerService (described
 * here rather than imported, so our declarations need no optional package).
 */
export interface MailerServiceLike {
  sendMail(mail: MailerServiceMail): Promise<{ messageId?: string; rejected?: unknown[] }>;
  verifyAllTransporters?(): Promise<boolean>;
}

/**
 * The email port over the host's own @nestjs-modules/mailer `MailerService`:
 * `MessagingModule.forRoot{Async}({ ..., providers: { email: MailerServiceEmailProvider } })`
 * next to the host's `MailerModule.forRoot{Async}(...)`. Our mail then goes
 * out through the host's transport and its `defaults` (From among them: the
 * module's `smtp` option is not used). Found at boot in the host's
 * (global) MailerModule; without the package or the module the app stops
 * at boot with a MessagingOptionsError saying which. Sends once: retries and
 * timeouts are the mailer's. Name on log rows and health: `mailer` (extend
 * the class and override `name` for another).
 */
@Injectable()
export class MailerServiceEmailProvider implements EmailProvider, OnModuleInit {
  readonly name: string = 'mailer';
  private mailer?: MailerServiceLike;

  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    this.resolve();
  }

  async send(email: OutgoingEmail): Promise<ProviderReceipt> {
    const { from, messageId, ...mail } = transportMail(email, email.from ?? '', email.messageId ?? '');
    const mailer = this.resolve();
    let info: { messageId?: string; rejected?: unknown[] };
    try {
      // Left out when empty: nodemailer applies a default only to keys the mail does not have.
      info = await mailer.sendMail({ ...mail, ...(from ? { from } : {}), ...(messageId ? { messageId } : {}) });
    } catch (error) {
      throw this.failure('the host mailer refused the message', transportFailoverKind(error), replyCodeOf(error));
    }
    if (info.rejected && info.rejected.length > 0) throw this.failure('the host mailer refused a recipient', 'permanent');
    // nodemailer's transports all answer with the Message-ID they wrote.
    return { messageId: info.messageId ?? messageId };
  }

  async verify(): Promise<void> {
    const mailer = this.resolve();
    if (mailer.verifyAllTransporters && !(await mailer.verifyAllTransporters())) {
      throw new Error('the host mailer transport did not verify');
    }
  }

  /** The token the host's MailerService is registered under: the package's class, loaded on first use. */
  protected mailerToken(): Type<unknown> {
    return mailerServiceClass();
  }

  private resolve(): MailerServiceLike {
    if (this.mailer) return this.mailer;
    const token = this.mailerToken();
    try {
      this.mailer = this.moduleRef.get<MailerServiceLike>(token, { strict: false });
    } catch {
      throw new MessagingOptionsError([
        'providers.email MailerServiceEmailProvider found no MailerService: import MailerModule.forRoot() or forRootAsync() in the host app',
      ]);
    }
    return this.mailer;
  }

  private failure(reason: string, failover: ProviderFailureKind, providerCode?: number): ProviderSendError {
    const details = { channel: 'email' as const, provider: this.name, ...(providerCode === undefined ? {} : { providerCode }) };
    return new ProviderSendError(`Failed to send email: ${reason}`, details, failover);
  }
}
