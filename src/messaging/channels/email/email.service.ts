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
import { unsubscribeHeaders, UnsubscribeLinks } from '../../consent/unsubscribe-links.js';

/** The template variable that receives the one-click unsubscribe link. */
const UNSUBSCRIBE_URL_VARIABLE = 'unsubscribeUrl';

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
    private readonly links: UnsubscribeLinks,
  ) {}

  /**
   * Sends raw HTML; without `text`, the text/plain part is generated from the HTML. With `sendAt`, or
   * `preferAsync` and a delivery queue, the message is queued instead and the answer is its acceptance.
   */
  send(request: SendEmailDto, requestedBy: string, options?: DeliveryOptions): Promise<EmailSentResponse | MessageAcceptedResponse> {
    const link = this.unsubscribeLink(request, requestedBy, options);
    const render = () => ({ subject: request.subject, html: request.body, text: request.text ?? htmlToPlainText(request.body) });
    return this.sender.send('email', () => outgoing(request, render(), undefined, link), requestedBy, options);
  }

  /**
   * Renders a template with `data` and sends it (or queues it, as send() does). A marketing mail's
   * template that declares `unsubscribeUrl` gets the one-click link unless the request gave one.
   */
  async sendTemplate(
    request: SendTemplateEmailDto,
    requestedBy: string,
    options?: DeliveryOptions,
  ): Promise<(EmailSentResponse | MessageAcceptedResponse) & { template: string }> {
    const link = this.unsubscribeLink(request, requestedBy, options);
    const data = { ...(request.data ?? {}) };
    if (link && data[UNSUBSCRIBE_URL_VARIABLE] === undefined && this.declares(request.template, UNSUBSCRIBE_URL_VARIABLE)) {
      data[UNSUBSCRIBE_URL_VARIABLE] = link;
    }
    const render = () => this.templates.render(request.template, data, request.subject);
    const sent = await this.sender.send('email', () => outgoing(request, render(), request.template, link), requestedBy, options);
    return { ...sent, template: request.template };
  }

  /**
   * Marketing mail's one-click unsubscribe link (RFC 8058), naming the first `to` address: send
   * marketing mail one recipient per message for a link of each recipient's own. Undefined for
   * transactional mail and while PUBLIC_BASE_URL or UNSUBSCRIBE_SECRET is unset.
   */
  private unsubscribeLink(request: Recipients, requestedBy: string, options?: DeliveryOptions): string | undefined {
    if (request.category !== 'marketing') return undefined;
    const first = toAddressList(request.to)?.[0];
    return first === undefined ? undefined : this.links.urlFor(options?.tenant ?? requestedBy, first);
  }

  private declares(template: string, variable: string): boolean {
    return this.templates.list().some((t) => t.name === template && t.variables.some((v) => v.name === variable));
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
function outgoing(recipients: Recipients, content: RenderedEmail, template?: string, unsubscribeUrl?: string): OutgoingMessage<'email', string | string[]> {
  const message: OutgoingEmail = {
    to: toAddressList(recipients.to) ?? [],
    cc: toAddressList(recipients.cc),
    bcc: toAddressList(recipients.bcc),
    replyTo: recipients.replyTo,
    ...content,
    ...(unsubscribeUrl ? { headers: { ...unsubscribeHeaders(unsubscribeUrl) } } : {}),
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
