import { Injectable } from '@nestjs/common';
import type { ChannelName } from '../common/channel-names.js';
import { ownerOf, type Requester } from '../common/tenant.js';
import type { MessageSentResponse } from '../common/message-sent-response.js';
import { DEFAULT_MESSAGE_CATEGORY, type MessageCategory } from '../common/consent-fields.js';
import { ConsentGate, type ConsentContext } from '../consent/consent-gate.js';
import { ProviderNotConfiguredError, RecipientSuppressedError } from '../errors/messaging.errors.js';
import { MessageDispatcher } from '../logs/message-dispatcher.js';
import { MessageLogRepository, type NewMessageLog } from '../logs/message-log.repository.js';
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

/** The log row of a message: the channel's fields, its category, provider and owner, and who was left out. */
export function logEntry<To extends string | string[]>(
  channel: ChannelName,
  log: OutgoingMessage<ChannelName, To>['log'],
  category: MessageCategory,
  provider: string,
  owner: { requestedBy: string; tenant: string },
  suppressed: string[],
): NewMessageLog {
  return { channel, ...log, category, provider, ...owner, ...(suppressed.length > 0 ? { suppressed } : {}) };
}

/**
 * The one send flow of every channel: check the channel has a provider, build the message, then either
 * hand it to the queue (`sendAt`, or `Prefer: respond-async` with Redis: AsyncDelivery) or send it now
 * through the MessageDispatcher, whose `pending` row comes before the provider call. In between, the
 * consent check (ConsentGate): suppressed recipients are removed, or the message is refused.
 */
@Injectable()
export class ChannelSender {
  constructor(
    private readonly providers: ChannelProviders,
    private readonly dispatcher: MessageDispatcher,
    private readonly delivery: AsyncDelivery,
    private readonly consent: ConsentGate,
    private readonly logs: MessageLogRepository,
  ) {}

  /**
   * Throws PROVIDER_NOT_CONFIGURED without a provider (before `build` runs: a template is not rendered for
   * nothing), RECIPIENT_SUPPRESSED when every recipient is on the suppression list (a `suppressed` row is
   * written, nothing is sent), SEND_FAILED when the provider refuses. Queued sends answer with their acceptance.
   * `requestedBy`: the caller's subject, or subject and tenant (the tenant owns the log row; default the subject).
   */
  async send<C extends ChannelName, To extends string | string[]>(
    channel: C,
    build: () => OutgoingMessage<C, To>,
    requestedBy: string | Requester,
    options?: DeliveryOptions,
  ): Promise<(MessageSentResponse<C, To> & { suppressed?: string[] }) | MessageAcceptedResponse> {
    const provider = this.provider(channel);
    const { message: built, log, sendAt } = build();
    const owner = ownerOf(requestedBy);
    const context: ConsentContext = { tenant: options?.tenant ?? owner.tenant, category: log.category ?? DEFAULT_MESSAGE_CATEGORY };
    const queued = this.delivery.applies(sendAt, options);
    const { message, suppressed, blocked } = await this.consent.screen(channel, built, context);
    const entry = logEntry(channel, log, context.category, provider.name, owner, suppressed);
    if (blocked) {
      const error = new RecipientSuppressedError(channel, suppressed);
      await this.logs.createSuppressed(entry, { code: error.code, message: error.message });
      throw error;
    }
    if (queued) {
      // The same C types channel and message; TypeScript does not follow that through the union.
      return this.delivery.accept(entry, { channel, message } as ChannelMessage, sendAt, context);
    }
    try {
      const receipt = await this.dispatcher.dispatch(entry, () => provider.send(message));
      return {
        id: receipt.logId,
        messageId: receipt.messageId,
        status: 'sent',
        channel,
        to: log.to,
        ...(suppressed.length > 0 ? { suppressed } : {}),
      };
    } catch (error) {
      if (channel !== 'email') await this.consent.noteRejection(channel, log.to as string, context.tenant, error);
      throw error;
    }
  }

  private provider<C extends ChannelName>(channel: C): ChannelProvider<C> {
    const provider = this.providers.get(channel);
    if (!provider) throw new ProviderNotConfiguredError(channel);
    return provider;
  }
}
