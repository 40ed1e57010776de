import { Inject, Injectable } from '@nestjs/common';
import { ProviderNotConfiguredError } from '../../errors/messaging.errors.js';
import { MessageDispatcher } from '../../logs/message-dispatcher.js';
import { EmailProvider, type OutgoingEmail } from '../../providers/email.provider.js';
import { AsyncDelivery, type DeliveryOptions, type MessageAcceptedResponse } from '../../queue/async-delivery.js';
import { htmlToPlainText } from '../../templates/plain-text.js';
import { TemplateRenderer, type RenderedEmail, type TemplateSummary } from '../../templates/template-renderer.js';
import type { SendEmailDto } from './dto/send-email.dto.js';
import type { PreviewTemplateDto, SendTemplateEmailDto } from './dto/template-email.dto.js';
import { toAddressList } from './email-address.js';

/** The seed's answer to a send: `to` echoes the request (a string or a list). */
export interface EmailSentResponse {
  messageId: string;
  status: 'sent';
  channel: 'email';
  to: string | string[];
}

export interface TemplateEmailSentResponse extends EmailSentResponse {
  template: string;
}

export interface TemplatePreviewResponse extends RenderedEmail {
  template: string;
}

interface Recipients {
  to: string | string[];
  cc?: string | string[];
  bcc?: string | string[];
  replyTo?: string;
  sendAt?: string;
}

/**
 * The email channel: turns requests into rendered mails and hands each to
 * the provider through the MessageDispatcher, so its log row is `pending`
 * before the SMTP conversation starts and `sent` or `failed` after.
 */
@Injectable()
export class EmailService {
  constructor(
    @Inject(EmailProvider) private readonly provider: EmailProvider | null,
    private readonly templates: TemplateRenderer,
    private readonly dispatcher: MessageDispatcher,
    private readonly delivery: AsyncDelivery,
  ) {}

  /**
   * Sends raw HTML; without `text`, the text/plain part is generated from the
   * HTML. With `sendAt`, or `preferAsync` and a delivery queue, the message is
   * queued instead and the answer is its acceptance (see AsyncDelivery).
   */
  async send(request: SendEmailDto, requestedBy: string, options?: DeliveryOptions): Promise<EmailSentResponse | MessageAcceptedResponse> {
    const provider = this.requireProvider();
    const content = { subject: request.subject, html: request.body, text: request.text ?? htmlToPlainText(request.body) };
    return this.dispatch(provider, request, content, requestedBy, undefined, options);
  }

  /** Renders a template with `data` and sends it (or queues it, as send() does). */
  async sendTemplate(
    request: SendTemplateEmailDto,
    requestedBy: string,
    options?: DeliveryOptions,
  ): Promise<(EmailSentResponse | MessageAcceptedResponse) & { template: string }> {
    const provider = this.requireProvider();
    const content = this.templates.render(request.template, request.data ?? {}, request.subject);
    const sent = await this.dispatch(provider, request, content, requestedBy, request.template, options);
    return { ...sent, template: request.template };
  }

  /** Renders a template without sending it (works without SMTP configuration). */
  preview(request: PreviewTemplateDto): TemplatePreviewResponse {
    return { template: request.template, ...this.templates.render(request.template, request.data ?? {}, request.subject) };
  }

  listTemplates(): { templates: TemplateSummary[] } {
    return { templates: this.templates.list() };
  }

  private requireProvider(): EmailProvider {
    if (!this.provider) throw new ProviderNotConfiguredError('email');
    return this.provider;
  }

  private async dispatch(
    provider: EmailProvider,
    recipients: Recipients,
    content: RenderedEmail,
    requestedBy: string,
    template?: string,
    options?: DeliveryOptions,
  ): Promise<EmailSentResponse | MessageAcceptedResponse> {
    const email: OutgoingEmail = {
      to: toAddressList(recipients.to) ?? [],
      cc: toAddressList(recipients.cc),
      bcc: toAddressList(recipients.bcc),
      replyTo: recipients.replyTo,
      ...content,
    };
    const entry = {
      channel: 'email' as const,
      to: recipients.to,
      cc: email.cc,
      bcc: email.bcc,
      subject: content.subject,
      template,
      provider: provider.name,
      requestedBy,
    };
    if (this.delivery.applies(recipients.sendAt, options)) {
      return this.delivery.accept(entry, { channel: 'email', message: email }, recipients.sendAt);
    }
    const receipt = await this.dispatcher.dispatch(entry, () => provider.send(email));
    return { messageId: receipt.messageId, status: 'sent', channel: 'email', to: recipients.to };
  }
}
