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
import { ownerOf, type Requester } from '../../common/tenant.js';
import { blockedExtensionSet, prepareAttachments, type PreparedAttachments } from './attachments.js';
import type { MessageCategory } from '../../common/consent-fields.js';
import { unsubscribeHeaders, UnsubscribeLinks } from '../../consent/unsubscribe-links.js';

/** The template variable that receives the one-click unsubscribe link. */
const UNSUBSCRIBE_URL_VARIABLE = 'unsubscribeUrl';

/** The seed's answer to a send: `to` echoes the request (a string or a list). */
export type EmailSentResponse = MessageSentResponse<'email', string | string[]> & {
  /** Recipients left out because they are on the suppression list; absent when none was. */
  suppressed?: string[];
};

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
  category?: MessageCategory;
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
    private readonly links: UnsubscribeLinks,
  ) {
    this.blockedExtensions = blockedExtensionSet(options.attachments?.blockedExtensions);
  }

  /**
   * Sends raw HTML; without `text`, the text/plain part is generated from the HTML. With `sendAt`, or
   * `preferAsync` and a delivery queue, the message is queued instead and the answer is its acceptance.
   */
  async send(request: SendEmailDto, requestedBy: string | Requester, options?: DeliveryOptions): Promise<EmailSentResponse | MessageAcceptedResponse> {
    return this.sender.send('email', this.rawMail(request, requestedBy, options), requestedBy, options);
  }

  /**
   * The build of a raw send: the attachments are checked now (their errors come first), the text part
   * is made when the build runs. The batch route builds each message with it.
   */
  rawMail(request: SendEmailDto, requestedBy: string | Requester, options?: DeliveryOptions): () => OutgoingMessage<'email', string | string[]> {
    const files = prepareAttachments(request.attachments, this.blockedExtensions);
    const link = this.unsubscribeLink(request, requestedBy, options);
    const render = () => ({ subject: request.subject, html: request.body, text: request.text ?? htmlToPlainText(request.body) });
    return () => outgoing(request, render(), { files, unsubscribeUrl: link });
  }

  /**
   * Renders a template with `data` and sends it (or queues it, as send() does). A marketing mail's
   * template that declares `unsubscribeUrl` gets the one-click link unless the request gave one.
   */
  async sendTemplate(
    request: SendTemplateEmailDto,
    requestedBy: string | Requester,
    options?: DeliveryOptions,
  ): Promise<(EmailSentResponse | MessageAcceptedResponse) & { template: string } & RenderedLocale> {
    let locale: string | null = null;
    const build = this.templateMail(request, requestedBy, options, (rendered) => {
      locale = rendered;
    });
    const sent = await this.sender.send('email', build, requestedBy, options);
    return { ...sent, template: request.template, locale };
  }

  /**
   * The build of a template send: attachments checked now, the template rendered when the build
   * runs (`onRendered` learns the variant). The batch route builds each message with it.
   */
  templateMail(
    request: SendTemplateEmailDto,
    requestedBy: string | Requester,
    options?: DeliveryOptions,
    onRendered?: (locale: string | null) => void,
  ): () => OutgoingMessage<'email', string | string[]> {
    const files = prepareAttachments(request.attachments, this.blockedExtensions);
    const link = this.unsubscribeLink(request, requestedBy, options);
    const data = { ...(request.data ?? {}) };
    if (link && data[UNSUBSCRIBE_URL_VARIABLE] === undefined && this.templates.declaresVariable(request.template, UNSUBSCRIBE_URL_VARIABLE)) {
      data[UNSUBSCRIBE_URL_VARIABLE] = link;
    }
    return () => {
      const { locale: rendered, ...content } = this.templates.render(request.template, data, request.subject, request.locale);
      onRendered?.(rendered);
      const template = { template: request.template, ...(rendered === null ? {} : { locale: rendered }) };
      return outgoing(request, content, { files, unsubscribeUrl: link, rendered: template });
    };
  }

  /**
   * Marketing mail's one-click unsubscribe link (RFC 8058), naming the first `to` address: send
   * marketing mail one recipient per message for a link of each recipient's own. Undefined for
   * transactional mail and while PUBLIC_BASE_URL or UNSUBSCRIBE_SECRET is unset.
   */
  private unsubscribeLink(request: Recipients, requestedBy: string | Requester, options?: DeliveryOptions): string | undefined {
    if (request.category !== 'marketing') return undefined;
    const first = toAddressList(request.to)?.[0];
    return first === undefined ? undefined : this.links.urlFor(options?.tenant ?? ownerOf(requestedBy).tenant, first);
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
/** What goes with the rendered content: attachments, the unsubscribe link, the template variant. */
interface MailExtras {
  files?: PreparedAttachments;
  unsubscribeUrl?: string;
  rendered?: { template?: string; locale?: string };
}

function outgoing(recipients: Recipients, content: RenderedEmail, extras: MailExtras): OutgoingMessage<'email', string | string[]> {
  const { files, unsubscribeUrl, rendered = {} } = extras;
  const message: OutgoingEmail = {
    to: toAddressList(recipients.to) ?? [],
    cc: toAddressList(recipients.cc),
    bcc: toAddressList(recipients.bcc),
    replyTo: recipients.replyTo,
    ...content,
    ...(files ? { attachments: files.attachments } : {}),
    ...(unsubscribeUrl ? { headers: { ...unsubscribeHeaders(unsubscribeUrl) } } : {}),
  };
  const log = {
    to: recipients.to,
    cc: message.cc,
    bcc: message.bcc,
    subject: content.subject,
    ...rendered,
    attachments: files?.log,
    ...(recipients.category ? { category: recipients.category } : {}),
  };
  return { message, log, sendAt: recipients.sendAt };
}
