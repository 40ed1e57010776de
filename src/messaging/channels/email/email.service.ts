import { Injectable } from '@nestjs/common';
import type { OutgoingEmail } from '../../providers/email.provider.js';
import type { DeliveryOptions, MessageAcceptedResponse } from '../../queue/async-delivery.js';
import { ChannelSender, type MessageSentResponse, type OutgoingMessage } from '../channel-sender.js';
import { htmlToPlainText } from '../../templates/plain-text.js';
import { TemplateRenderer, type RenderedEmail, type TemplateSummary } from '../../templates/template-renderer.js';
import type { SendEmailDto } from './dto/send-email.dto.js';
import type { PreviewTemplateDto, SendTemplateEmailDto } from './dto/template-email.dto.js';
import { toAddressList } from './email-address.js';
import type { MessageCategory } from '../../common/consent-fields.js';

/** The seed's answer to a send: `to` echoes the request (a string or a list). */
export type EmailSentResponse = MessageSentResponse<'email', string | string[]> & {
  /** Recipients left out because they are on the suppression list; absent when none was. */
  suppressed?: string[];
};

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
  category?: MessageCategory;
}

/**
 * The email channel: turns requests into rendered mails and hands each to the ChannelSender, so its log
 * row is `pending` before the SMTP conversation starts and `sent` or `failed` after.
 */
@Injectable()
export class EmailService {
  constructor(
    private readonly templates: TemplateRenderer,
    private readonly sender: ChannelSender,
  ) {}

  /**
   * Sends raw HTML; without `text`, the text/plain part is generated from the HTML. With `sendAt`, or
   * `preferAsync` and a delivery queue, the message is queued instead and the answer is its acceptance.
   */
  send(request: SendEmailDto, requestedBy: string, options?: DeliveryOptions): Promise<EmailSentResponse | MessageAcceptedResponse> {
    const render = () => ({ subject: request.subject, html: request.body, text: request.text ?? htmlToPlainText(request.body) });
    return this.sender.send('email', () => outgoing(request, render()), requestedBy, options);
  }

  /** Renders a template with `data` and sends it (or queues it, as send() does). */
  async sendTemplate(
    request: SendTemplateEmailDto,
    requestedBy: string,
    options?: DeliveryOptions,
  ): Promise<(EmailSentResponse | MessageAcceptedResponse) & { template: string }> {
    const render = () => this.templates.render(request.template, request.data ?? {}, request.subject);
    const sent = await this.sender.send('email', () => outgoing(request, render(), request.template), requestedBy, options);
    return { ...sent, template: request.template };
  }

  /** Renders a template without sending it (works without SMTP configuration). */
  preview(request: PreviewTemplateDto): TemplatePreviewResponse {
    return { template: request.template, ...this.templates.render(request.template, request.data ?? {}, request.subject) };
  }

  listTemplates(): { templates: TemplateSummary[] } {
    return { templates: this.templates.list() };
  }
}

/** The mail and its log fields; rendering happens inside ChannelSender, after the provider check. */
function outgoing(recipients: Recipients, content: RenderedEmail, template?: string): OutgoingMessage<'email', string | string[]> {
  const message: OutgoingEmail = {
    to: toAddressList(recipients.to) ?? [],
    cc: toAddressList(recipients.cc),
    bcc: toAddressList(recipients.bcc),
    replyTo: recipients.replyTo,
    ...content,
  };
  const log = {
    to: recipients.to,
    cc: message.cc,
    bcc: message.bcc,
    subject: content.subject,
    template,
    ...(recipients.category ? { category: recipients.category } : {}),
  };
  return { message, log, sendAt: recipients.sendAt };
}
