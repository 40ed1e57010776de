import { Injectable } from '@nestjs/common';
import type { OutgoingWhatsApp } from '../../providers/whatsapp.provider.js';
import type { DeliveryOptions, MessageAcceptedResponse } from '../../queue/async-delivery.js';
import { ChannelSender, type MessageSentResponse } from '../channel-sender.js';
import type { SendWhatsAppDto } from './dto/send-whatsapp.dto.js';

/** Answer of POST /messaging/whatsapp: `messageId` is the Twilio Message SID. */
export type WhatsAppSentResponse = MessageSentResponse<'whatsapp'>;

/** Sends WhatsApp messages through the configured provider, logging every attempt (ChannelSender). */
@Injectable()
export class WhatsAppService {
  constructor(private readonly sender: ChannelSender) {}

  /**
   * Throws PROVIDER_NOT_CONFIGURED without a provider, SEND_FAILED when the provider refuses. With
   * `sendAt`, or `preferAsync` and a delivery queue, the message is queued and the answer is its acceptance.
   */
  send(request: SendWhatsAppDto, requestedBy: string, options?: DeliveryOptions): Promise<WhatsAppSentResponse | MessageAcceptedResponse> {
    const log = { to: request.to, ...(request.category ? { category: request.category } : {}) };
    return this.sender.send('whatsapp', () => ({ message: toMessage(request), log, sendAt: request.sendAt }), requestedBy, options);
  }
}

function toMessage(request: SendWhatsAppDto): OutgoingWhatsApp {
  const message: OutgoingWhatsApp = { to: request.to, body: request.body };
  if (request.media) {
    const { url, contentType, filename } = request.media;
    message.media = { url, ...(contentType ? { contentType } : {}), ...(filename ? { filename } : {}) };
  }
  return message;
}
