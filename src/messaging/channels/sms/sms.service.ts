import { Inject, Injectable, Optional } from '@nestjs/common';
import { ProviderNotConfiguredError } from '../../errors/messaging.errors.js';
import { MessageDispatcher } from '../../logs/message-dispatcher.js';
import { SmsProvider } from '../../providers/sms.provider.js';
import { AsyncDelivery, type DeliveryOptions, type MessageAcceptedResponse } from '../../queue/async-delivery.js';
import type { SendSmsDto } from './dto/send-sms.dto.js';

/** Answer of POST /messaging/sms. */
export interface SmsSentResponse {
  /** The provider's message id (Twilio Message SID). */
  messageId: string;
  status: 'sent';
  channel: 'sms';
  to: string;
}

/** Sends SMS through the configured provider, logging every attempt. */
@Injectable()
export class SmsService {
  constructor(
    private readonly dispatcher: MessageDispatcher,
    @Optional() @Inject(SmsProvider) private readonly provider: SmsProvider | null,
    private readonly delivery: AsyncDelivery,
  ) {}

  /**
   * Throws PROVIDER_NOT_CONFIGURED without a provider, SEND_FAILED when the
   * provider refuses. With `sendAt`, or `preferAsync` and a delivery queue,
   * the SMS is queued and the answer is its acceptance (see AsyncDelivery).
   */
  async send(request: SendSmsDto, requestedBy: string, options?: DeliveryOptions): Promise<SmsSentResponse | MessageAcceptedResponse> {
    const provider = this.provider;
    if (!provider) throw new ProviderNotConfiguredError('sms');
    const { to, body } = request;
    const entry = { channel: 'sms' as const, to, provider: provider.name, requestedBy };
    if (this.delivery.applies(request.sendAt, options)) {
      return this.delivery.accept(entry, { channel: 'sms', message: { to, body } }, request.sendAt);
    }
    const receipt = await this.dispatcher.dispatch(entry, () => provider.send({ to, body }));
    return { messageId: receipt.messageId, status: 'sent', channel: 'sms', to };
  }
}
