import { Injectable, type Type } from '@nestjs/common';
import type { ChannelName } from '../common/channel-names.js';
import { DEFAULT_MESSAGE_CATEGORY } from '../common/consent-fields.js';
import { ownerOf, type Requester } from '../common/tenant.js';
import { ConsentGate } from '../consent/consent-gate.js';
import { MessagingError, ProviderNotConfiguredError, RecipientSuppressedError } from '../errors/messaging.errors.js';
import { ChannelProviders } from '../providers/channel-providers.js';
import { AsyncDelivery, type BatchEntry } from '../queue/async-delivery.js';
import type { ChannelMessage } from '../queue/delivery-job.js';
import { itemError, readBatch, type BatchItemError } from './batch-request.js';
import { logEntry, type OutgoingMessage } from './channel-sender.js';

/** One accepted message of a batch: its log row's id (GET /messaging/logs/{messageId}). */
export interface BatchItemAccepted {
  index: number;
  messageId: string;
  status: 'queued' | 'scheduled';
  /** Scheduled messages: when it is to go out, ISO-8601 UTC. */
  sendAt?: string;
  /** Email recipients left out because they are on the suppression list; absent when none was. */
  suppressed?: string[];
}

/** The 202 answer of a batch route: every message by its index, accepted or refused. */
export interface BatchAcceptedResponse {
  accepted: number;
  rejected: number;
  results: Array<BatchItemAccepted | BatchItemError>;
}

/**
 * The send flow of the batch routes, a batch at a time: the queue and the channel's provider must be
 * there (else 400 for the whole batch), then each message is validated (batch-request.ts) and built by
 * its channel service exactly as the single route builds it (rendering, attachments, sendAt), screened
 * against the suppression list (one lookup per category for the batch), and the lot handed to
 * AsyncDelivery.acceptBatch: one insertMany, one addBulk. Workers deliver them like any queued message.
 */
@Injectable()
export class BatchSender {
  constructor(
    private readonly providers: ChannelProviders,
    private readonly delivery: AsyncDelivery,
    private readonly consent: ConsentGate,
  ) {}

  async send<C extends ChannelName, T extends object, To extends string | string[]>(
    channel: C,
    body: unknown,
    dto: Type<T>,
    build: (request: T) => OutgoingMessage<C, To>,
    requestedBy: Requester,
  ): Promise<BatchAcceptedResponse> {
    this.delivery.requireQueue('Batch sending');
    const provider = this.providers.get(channel);
    if (!provider) throw new ProviderNotConfiguredError(channel);
    const owner = ownerOf(requestedBy);
    const errors: BatchItemError[] = [];
    const built: Array<{ index: number; outgoing: OutgoingMessage<C, To> }> = [];
    for (const item of await readBatch(body, dto)) {
      if ('error' in item) {
        errors.push(item);
        continue;
      }
      try {
        built.push({ index: item.index, outgoing: build(item.value) });
      } catch (error) {
        if (!(error instanceof MessagingError)) throw error;
        errors.push(itemError(item.index, error));
      }
    }
    const categories = built.map(({ outgoing }) => outgoing.log.category ?? DEFAULT_MESSAGE_CATEGORY);
    const screened = await this.consent.screenMany(
      channel,
      owner.tenant,
      built.map(({ outgoing }, i) => ({ message: outgoing.message, category: categories[i] ?? DEFAULT_MESSAGE_CATEGORY })),
    );
    const entries = built.map(({ outgoing }, i): BatchEntry => {
      const { message, suppressed, blocked } = screened[i];
      const category = categories[i] ?? DEFAULT_MESSAGE_CATEGORY;
      const entry = logEntry(channel, outgoing.log, category, provider.name, owner, suppressed);
      const refusal = blocked ? new RecipientSuppressedError(channel, suppressed) : undefined;
      return {
        entry,
        // The same C types channel and message; TypeScript does not follow that through the union.
        content: { channel, message } as ChannelMessage,
        ...(outgoing.sendAt === undefined ? {} : { sendAt: outgoing.sendAt }),
        consent: { tenant: owner.tenant, category },
        ...(refusal ? { suppressed: { code: refusal.code, message: refusal.message } } : {}),
      };
    });
    const acceptances = entries.length > 0 ? await this.delivery.acceptBatch(entries) : [];
    const accepted: BatchItemAccepted[] = [];
    built.forEach(({ index }, i) => {
      const acceptance = acceptances[i];
      const { suppressed } = screened[i];
      if (acceptance === undefined) errors.push(itemError(index, new RecipientSuppressedError(channel, suppressed)));
      else if ('notEnqueued' in acceptance) errors.push({ index, error: acceptance.notEnqueued });
      else accepted.push({ index, ...acceptance, ...(suppressed.length > 0 ? { suppressed } : {}) });
    });
    const results = [...accepted, ...errors].sort((a, b) => a.index - b.index);
    return { accepted: accepted.length, rejected: errors.length, results };
  }
}
