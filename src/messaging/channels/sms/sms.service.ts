import { Injectable } from '@nestjs/common';
import type { DeliveryOptions, MessageAcceptedResponse } from '../../queue/async-delivery.js';
import { ChannelSender, type MessageSentResponse } from '../channel-sender.js';
import type { SendSmsDto } from './dto/send-sms.dto.js';

/** Answer of POST /messaging/sms: `messageId` is the Twilio Message SID. */
export type SmsSentResponse = MessageSentResponse<'sms'>;

/** Sends SMS through the configured provider, logging every attempt (ChannelSender). */
@Injectable()
export class SmsService {
  constructor(private readonly sender: ChannelSender) {}

  /**
   * Throws PROVIDER_NOT_CONFIGURED without a provider, SEND_FAILED when the provider refuses. With
   * `sendAt`, or `preferAsync` and a delivery queue, the SMS is queued and the answer is its acceptance.
   */
  send(request: SendSmsDto, requestedBy: string, options?: DeliveryOptions): Promise<SmsSentResponse | MessageAcceptedResponse> {
    const { to, body, sendAt, category } = request;
    return this.sender.send('sms', () => ({ message: { to, body }, log: { to, ...(category ? { category } : {}) }, sendAt }), requestedBy, options);
  }
}
