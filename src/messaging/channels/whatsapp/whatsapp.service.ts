import { Inject, Injectable, Optional } from '@nestjs/common';
import { ProviderNotConfiguredError } from '../../errors/messaging.errors.js';
import { MessageDispatcher } from '../../logs/message-dispatcher.js';
import { WhatsAppProvider, type OutgoingWhatsApp } from '../../providers/whatsapp.provider.js';
import { AsyncDelivery, type DeliveryOptions, type MessageAcceptedResponse } from '../../queue/async-delivery.js';
import type { SendWhatsAppDto } from './dto/send-whatsapp.dto.js';

/** Answer of POST /messaging/whatsapp. */
export interface WhatsAppSentResponse {
  /** The provider's message id (Twilio Message SID). */
  messageId: string;
  status: 'sent';
  channel: 'whatsapp';
  to: string;
}

/** Sends WhatsApp messages through the configured provider, logging every attempt. */
@Injectable()
export class WhatsAppService {
  constructor(
    private readonly dispatcher: MessageDispatcher,
    @Optional() @Inject(WhatsAppProvider) private readonly provider: WhatsAppProvider | null,
    private readonly delivery: AsyncDelivery,
  ) {}

  /**
   * Throws PROVIDER_NOT_CONFIGURED without a provider, SEND_FAILED when the
   * provider refuses. With `sendAt`, or `preferAsync` and a delivery queue,
   * the message is queued and the answer is its acceptance (see AsyncDelivery).
   */
  async send(
    request: SendWhatsAppDto,
    requestedBy: string,
    options?: DeliveryOptions,
  ): Promise<WhatsAppSentResponse | MessageAcceptedResponse> {
    const provider = this.provider;
    if (!provider) throw new ProviderNotConfiguredError('whatsapp');
    const message: OutgoingWhatsApp = { to: request.to, body: request.body };
    if (request.media) {
      const { url, contentType, filename } = request.media;
      message.media = { url, ...(contentType ? { contentType } : {}), ...(filename ? { filename } : {}) };
    }
    const entry = { channel: 'whatsapp' as const, to: request.to, provider: provider.name, requestedBy };
    if (this.delivery.applies(request.sendAt, options)) {
      return this.delivery.accept(entry, { channel: 'whatsapp', message }, request.sendAt);
    }
    const receipt = await this.dispatcher.dispatch(entry, () => provider.send(message));
    return { messageId: receipt.messageId, status: 'sent', channel: 'whatsapp', to: request.to };
  }
}
