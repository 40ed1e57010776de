import { Injectable } from '@nestjs/common';
import type { ChannelName } from '../common/channel-names.js';
import { ownerOf, type Requester } from '../common/tenant.js';
import type { MessageSentResponse } from '../common/message-sent-response.js';
import { ProviderNotConfiguredError } from '../errors/messaging.errors.js';
import { MessageDispatcher } from '../logs/message-dispatcher.js';
import type { NewMessageLog } from '../logs/message-log.repository.js';
import type { ChannelMessages, ChannelProvider } from '../providers/channel-ports.js';
import { ChannelProviders } from '../providers/channel-providers.js';
import { AsyncDelivery, type DeliveryOptions, type MessageAcceptedResponse } from '../queue/async-delivery.js';
import type { ChannelMessage } from '../queue/delivery-job.js';

export type { MessageSentResponse };

/** What a channel service builds from a request: the provider's message and the log row's own fields. */
export interface OutgoingMessage<C extends ChannelName, To extends string | string[]> {
  message: ChannelMessages[C];
  log: Omit<NewMessageLog, 'channel' | 'provider' | 'requestedBy' | 'tenant' | 'to'> & { to: To };
  sendAt?: string;
}

/**
 * The one send flow of every channel: check the channel has a provider, build the message, then either
 * hand it to the queue (`sendAt`, or `Prefer: respond-async` with Redis: AsyncDelivery) or send it now
 * through the MessageDispatcher, whose `pending` row comes before the provider call.
 */
@Injectable()
export class ChannelSender {
  constructor(
    private readonly providers: ChannelProviders,
    private readonly dispatcher: MessageDispatcher,
    private readonly delivery: AsyncDelivery,
  ) {}

  /**
   * Throws PROVIDER_NOT_CONFIGURED without a provider (before `build` runs: a template is not rendered for
   * nothing), SEND_FAILED when the provider refuses. Queued sends answer with their acceptance.
   * `requestedBy`: the caller's subject, or subject and tenant (the tenant owns the log row; default the subject).
   */
  async send<C extends ChannelName, To extends string | string[]>(
    channel: C,
    build: () => OutgoingMessage<C, To>,
    requestedBy: string | Requester,
    options?: DeliveryOptions,
  ): Promise<MessageSentResponse<C, To> | MessageAcceptedResponse> {
    const provider = this.provider(channel);
    const { message, log, sendAt } = build();
    const entry: NewMessageLog = { channel, ...log, provider: provider.name, ...ownerOf(requestedBy) };
    if (this.delivery.applies(sendAt, options)) {
      // The same C types channel and message; TypeScript does not follow that through the union.
      return this.delivery.accept(entry, { channel, message } as ChannelMessage, sendAt);
    }
    const receipt = await this.dispatcher.dispatch(entry, () => provider.send(message));
    return { id: receipt.logId, messageId: receipt.messageId, status: 'sent', channel, to: log.to };
  }

  private provider<C extends ChannelName>(channel: C): ChannelProvider<C> {
    const provider = this.providers.get(channel);
    if (!provider) throw new ProviderNotConfiguredError(channel);
    return provider;
  }
}
