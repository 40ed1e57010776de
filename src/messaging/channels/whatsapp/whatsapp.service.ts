import { Injectable } from '@nestjs/common';
import type { OutgoingWhatsApp } from '../../providers/whatsapp.provider.js';
import type { DeliveryOptions, MessageAcceptedResponse } from '../../queue/async-delivery.js';
import { TemplateRenderer, type RenderedLocale } from '../../templates/template-renderer.js';
import { ChannelSender, type MessageSentResponse, type OutgoingMessage } from '../channel-sender.js';
import { checkRenderedText } from '../sms/rendered-text.js';
import type { SendWhatsAppDto } from './dto/send-whatsapp.dto.js';
import type { SendWhatsAppTemplateDto } from './dto/whatsapp-template.dto.js';
import type { Requester } from '../../common/tenant.js';

/** Answer of POST /messaging/whatsapp: `messageId` is the Twilio Message SID. */
export type WhatsAppSentResponse = MessageSentResponse<'whatsapp'>;

/** The template and the variant that rendered. */
export type WhatsAppTemplateFields = RenderedLocale & { template: string };

/** Sends WhatsApp messages through the configured provider, logging every attempt (ChannelSender). */
@Injectable()
export class WhatsAppService {
  constructor(
    private readonly sender: ChannelSender,
    private readonly templates: TemplateRenderer,
  ) {}

  /**
   * Throws PROVIDER_NOT_CONFIGURED without a provider, SEND_FAILED when the provider refuses. With
   * `sendAt`, or `preferAsync` and a delivery queue, the message is queued and the answer is its acceptance.
   */
  send(request: SendWhatsAppDto, requestedBy: string | Requester, options?: DeliveryOptions): Promise<WhatsAppSentResponse | MessageAcceptedResponse> {
    return this.sender.send('whatsapp', () => this.outgoing(request), requestedBy, options);
  }

  /** The message and log fields of a send request (its batch route builds each message with it). */
  outgoing(request: SendWhatsAppDto): OutgoingMessage<'whatsapp', string> {
    const log = { ...logFields(request), ...(request.category ? { category: request.category } : {}) };
    return { message: toMessage(request), log, sendAt: request.sendAt };
  }

  /**
   * Renders templates/<name>/whatsapp.hbs, else sms.hbs (in the variant of `locale`), and sends it as
   * free text, or queues it as send() does. Free text: WhatsApp takes it within the 24-hour session window.
   */
  async sendTemplate(
    request: SendWhatsAppTemplateDto,
    requestedBy: string | Requester,
    options?: DeliveryOptions,
  ): Promise<(WhatsAppSentResponse | MessageAcceptedResponse) & WhatsAppTemplateFields> {
    const { to, template, sendAt, category } = request;
    let fields: WhatsAppTemplateFields = { template, locale: null };
    const build = () => {
      const { text, locale } = this.templates.renderText(template, 'whatsapp', request.data ?? {}, request.locale);
      fields = { template, locale };
      const log = { to, template, ...(locale === null ? {} : { locale }), ...(category ? { category } : {}) };
      return { message: { to, body: checkRenderedText(template, text) }, log, sendAt };
    };
    const sent = await this.sender.send('whatsapp', build, requestedBy, options);
    return { ...sent, ...fields };
  }
}

/** The row names an approved template and its variables' keys; the values may be personal data. */
function logFields(request: SendWhatsAppDto): { to: string; contentSid?: string; contentVariableNames?: string[] } {
  if (request.contentSid === undefined) return { to: request.to };
  return {
    to: request.to,
    contentSid: request.contentSid,
    ...(request.contentVariables ? { contentVariableNames: Object.keys(request.contentVariables) } : {}),
  };
}

function toMessage(request: SendWhatsAppDto): OutgoingWhatsApp {
  if (request.contentSid !== undefined) {
    const { to, contentSid, contentVariables } = request;
    return { to, contentSid, ...(contentVariables ? { contentVariables: { ...contentVariables } } : {}) };
  }
  // The DTO's rules make `body` present whenever `contentSid` is not.
  const message: OutgoingWhatsApp = { to: request.to, body: request.body ?? '' };
  if (request.media) {
    const { url, contentType, filename } = request.media;
    message.media = { url, ...(contentType ? { contentType } : {}), ...(filename ? { filename } : {}) };
  }
  return message;
}
