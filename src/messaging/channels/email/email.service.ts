import { Inject, Injectable } from '@nestjs/common';
import { MESSAGING_OPTIONS } from '../../messaging.module-definition.js';
import type { MessagingModuleOptions } from '../../messaging-options.interface.js';
import type { OutgoingEmail } from '../../providers/email.provider.js';
import type { DeliveryOptions, MessageAcceptedResponse } from '../../queue/async-delivery.js';
import { ChannelSender, type MessageSentResponse, type OutgoingMessage } from '../channel-sender.js';
import { htmlToPlainText } from '../../templates/plain-text.js';
import { TemplateRenderer, type RenderedEmail, type RenderedLocale, type TemplateSummary } from '../../templates/template-renderer.js';
import type { SendEmailDto } from './dto/send-email.dto.js';
import type { PreviewTemplateDto, SendTemplateEmailDto } from './dto/template-email.dto.js';
import { toAddressList } from './email-address.js';
import type { Requester } from '../../common/tenant.js';
import { blockedExtensionSet, prepareAttachments, type PreparedAttachments } from './attachments.js';

/** The seed's answer to a send: `to` echoes the request (a string or a list). */
export type EmailSentResponse = MessageSentResponse<'email', string | string[]>;

export interface TemplateEmailSentResponse extends EmailSentResponse, RenderedLocale {
  template: string;
}

export interface TemplatePreviewResponse extends RenderedEmail, RenderedLocale {
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
 * The email channel: turns requests into rendered mails and hands each to the ChannelSender, so its log
 * row is `pending` before the SMTP conversation starts and `sent` or `failed` after.
 */
@Injectable()
export class EmailService {
  private readonly blockedExtensions: ReadonlySet<string>;

  constructor(
    private readonly templates: TemplateRenderer,
    private readonly sender: ChannelSender,
    @Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions,
  ) {
    this.blockedExtensions = blockedExtensionSet(options.attachments?.blockedExtensions);
  }

  /**
   * Sends raw HTML; without `text`, the text/plain part is generated from the HTML. With `sendAt`, or
   * `preferAsync` and a delivery queue, the message is queued instead and the answer is its acceptance.
   */
  async send(request: SendEmailDto, requestedBy: string | Requester, options?: DeliveryOptions): Promise<EmailSentResponse | MessageAcceptedResponse> {
    const files = prepareAttachments(request.attachments, this.blockedExtensions);
    const render = () => ({ subject: request.subject, html: request.body, text: request.text ?? htmlToPlainText(request.body) });
    return this.sender.send('email', () => outgoing(request, render(), files), requestedBy, options);
  }

  /** Renders a template with `data` and sends it (or queues it, as send() does). */
  async sendTemplate(
    request: SendTemplateEmailDto,
    requestedBy: string | Requester,
    options?: DeliveryOptions,
  ): Promise<(EmailSentResponse | MessageAcceptedResponse) & { template: string } & RenderedLocale> {
    const files = prepareAttachments(request.attachments, this.blockedExtensions);
    let locale: string | null = null;
    const build = () => {
      const { locale: rendered, ...content } = this.templates.render(request.template, request.data ?? {}, request.subject, request.locale);
      locale = rendered;
      return outgoing(request, content, files, { template: request.template, ...(rendered === null ? {} : { locale: rendered }) });
    };
    const sent = await this.sender.send('email', build, requestedBy, options);
    return { ...sent, template: request.template, locale };
  }

  /** Renders a template without sending it (works without SMTP configuration). */
  preview(request: PreviewTemplateDto): TemplatePreviewResponse {
    const { locale, ...content } = this.templates.render(request.template, request.data ?? {}, request.subject, request.locale);
    return { template: request.template, locale, ...content };
  }

  listTemplates(): { templates: TemplateSummary[] } {
    return { templates: this.templates.list() };
  }
}

/** The mail and its log fields; rendering happens inside ChannelSender, after the provider check. */
function outgoing(
  recipients: Recipients,
  content: RenderedEmail,
  files: PreparedAttachments | undefined,
  rendered: { template?: string; locale?: string } = {},
): OutgoingMessage<'email', string | string[]> {
  const message: OutgoingEmail = {
    to: toAddressList(recipients.to) ?? [],
    cc: toAddressList(recipients.cc),
    bcc: toAddressList(recipients.bcc),
    replyTo: recipients.replyTo,
    ...content,
    ...(files ? { attachments: files.attachments } : {}),
  };
  const log = { to: recipients.to, cc: message.cc, bcc: message.bcc, subject: content.subject, ...rendered, attachments: files?.log };
  return { message, log, sendAt: recipients.sendAt };
}
