import { Injectable } from '@nestjs/common';
import { countSmsSegments, type SmsSegments } from '../../common/sms-segments.js';
import type { DeliveryOptions, MessageAcceptedResponse } from '../../queue/async-delivery.js';
import { TemplateRenderer, type RenderedLocale } from '../../templates/template-renderer.js';
import { ChannelSender, type MessageSentResponse, type OutgoingMessage } from '../channel-sender.js';
import type { SendSmsDto } from './dto/send-sms.dto.js';
import type { PreviewSmsTemplateDto, SendSmsTemplateDto } from './dto/text-template.dto.js';
import { checkRenderedText } from './rendered-text.js';
import type { Requester } from '../../common/tenant.js';

/** Answer of POST /messaging/sms: `messageId` is the Twilio Message SID; `segments` the parts billed. */
export type SmsSentResponse = MessageSentResponse<'sms'> & { segments: number };

/** The template, the variant that rendered, and the parts billed. */
export type SmsTemplateFields = RenderedLocale & { template: string; segments: number };

/** Answer of POST /messaging/sms/template/preview. */
export type SmsTemplatePreviewResponse = RenderedLocale & SmsSegments & { template: string; text: string };

/** Sends SMS through the configured provider, logging every attempt (ChannelSender). */
@Injectable()
export class SmsService {
  constructor(
    private readonly sender: ChannelSender,
    private readonly templates: TemplateRenderer,
  ) {}

  /**
   * Throws PROVIDER_NOT_CONFIGURED without a provider, SEND_FAILED when the provider refuses. With
   * `sendAt`, or `preferAsync` and a delivery queue, the SMS is queued and the answer is its acceptance.
   */
  async send(
    request: SendSmsDto,
    requestedBy: string | Requester,
    options?: DeliveryOptions,
  ): Promise<SmsSentResponse | (MessageAcceptedResponse & { segments: number })> {
    const outgoing = this.outgoing(request);
    const sent = await this.sender.send('sms', () => outgoing, requestedBy, options);
    return { ...sent, segments: outgoing.log.segments ?? 0 };
  }

  /** The message and log fields of a send request (its batch route builds each message with it). */
  outgoing(request: SendSmsDto): OutgoingMessage<'sms', string> {
    const { to, body, sendAt, category } = request;
    const { segments } = countSmsSegments(body);
    return { message: { to, body }, log: { to, segments, ...(category ? { category } : {}) }, sendAt };
  }

  /** Renders templates/<name>/sms.hbs (in the variant of `locale`) and sends it, or queues it as send() does. */
  async sendTemplate(
    request: SendSmsTemplateDto,
    requestedBy: string | Requester,
    options?: DeliveryOptions,
  ): Promise<(MessageSentResponse<'sms'> | MessageAcceptedResponse) & SmsTemplateFields> {
    const { to, template, sendAt, category } = request;
    let fields: SmsTemplateFields = { template, locale: null, segments: 0 };
    const build = () => {
      const { text, locale } = this.render(request);
      fields = { template, locale, segments: countSmsSegments(text).segments };
      const log = { to, template, segments: fields.segments, ...(locale === null ? {} : { locale }), ...(category ? { category } : {}) };
      return { message: { to, body: text }, log, sendAt };
    };
    const sent = await this.sender.send('sms', build, requestedBy, options);
    return { ...sent, ...fields };
  }

  /** The text, its encoding and its segments, without sending (works without Twilio configuration). */
  preview(request: PreviewSmsTemplateDto): SmsTemplatePreviewResponse {
    const { text, locale } = this.render(request);
    return { template: request.template, locale, text, ...countSmsSegments(text) };
  }

  private render(request: PreviewSmsTemplateDto): { text: string } & RenderedLocale {
    const rendered = this.templates.renderText(request.template, 'sms', request.data ?? {}, request.locale);
    return { ...rendered, text: checkRenderedText(request.template, rendered.text) };
  }
}
