import { Inject, Injectable, Optional } from '@nestjs/common';
import { ProviderNotConfiguredError } from '../../errors/messaging.errors.js';
import { MessageDispatcher } from '../../logs/message-dispatcher.js';
import { SmsProvider } from '../../providers/sms.provider.js';
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
  ) {}

  /** Throws PROVIDER_NOT_CONFIGURED without a provider, SEND_FAILED when the provider refuses. */
  async send(request: SendSmsDto, requestedBy: string): Promise<SmsSentResponse> {
    const provider = this.provider;
    if (!provider) throw new ProviderNotConfiguredError('sms');
    const { to, body } = request;
    const receipt = await this.dispatcher.dispatch(
      { channel: 'sms', to, provider: provider.name, requestedBy },
      () => provider.send({ to, body }),
    );
    return { messageId: receipt.messageId, status: 'sent', channel: 'sms', to };
  }
}
