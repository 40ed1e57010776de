import { Injectable, Optional } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { MessagingError } from '../errors/messaging.errors.js';
import type { Types } from 'mongoose';
import { noteProviderCall } from '../common/send-attempt.js';
import { reportedOutcome, singleAttempt } from './delivery-outcome.js';
import { MessageLogRepository, type NewMessageLog } from './message-log.repository.js';
import type { MessageLogError } from './message-log.schema.js';
import type { ProviderReceipt } from '../common/provider-receipt.js';
import type { ChannelName } from '../common/channel-names.js';
import { MessagingMetrics } from '../observability/messaging-metrics.js';

/** Which channel a delivery is for and the name of its provider (as on the row's attempts list). */
export interface DeliveryTarget {
  channel: ChannelName;
  provider: string;
}

/**
 * The one path every send takes: write the `pending` row, call the provider,
 * record `sent` or `failed`. If the row cannot be written the provider is
 * never called (SERVICE_UNAVAILABLE).
 */
@Injectable()
export class MessageDispatcher {
  constructor(
    private readonly logs: MessageLogRepository,
    @Optional() private readonly metrics?: MessagingMetrics,
  ) {}

  /** Resolves with the provider's receipt and `logId`, the row's id (24 hex digits). */
  async dispatch(entry: NewMessageLog, send: () => Promise<ProviderReceipt>): Promise<ProviderReceipt & { logId: string }> {
    const id = await this.logs.createPending(entry);
    return { ...(await this.deliver(id, { channel: entry.channel, provider: entry.provider }, send)), logId: id.toHexString() };
  }

  /**
   * Calls the provider for the row `id`, already `pending`, and records the
   * outcome: `sent` with the provider's id, or `failed`; rethrows the
   * provider's error. Each attempt is counted and timed in the metrics. `target.provider` names the channel's provider for the
   * attempts list (a failover provider reports its own attempts instead). The synchronous path (dispatch) and the queue workers
   * share it. `retryLater(error)` true (workers, attempts left, transient
   * error) leaves the row `pending` with the error instead of `failed`.
   */
  async deliver(
    id: Types.ObjectId,
    target: DeliveryTarget,
    send: () => Promise<ProviderReceipt>,
    retryLater: (error: unknown) => boolean = () => false,
  ): Promise<ProviderReceipt> {
    const { channel, provider } = target;
    const at = new Date();
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    let receipt: ProviderReceipt;
    // From here on the outcome must be kept for an Idempotency-Key (never re-sent).
    noteProviderCall();
    try {
      receipt = await send();
    } catch (error) {
      const logError = toLogError(error);
      const outcome = reportedOutcome(error) ?? singleAttempt(provider, at, logError);
      const later = retryLater(error);
      this.metrics?.attempt(channel, provider, later ? 'retrying' : 'failed', seconds(), logError.providerCode ?? logError.code);
      if (later) await this.logs.markRetrying(id, logError, outcome);
      else await this.logs.markFailed(id, logError, outcome);
      throw error;
    }
    this.metrics?.attempt(channel, provider, 'sent', seconds());
    await this.logs.markSent(id, receipt.messageId, reportedOutcome(receipt) ?? singleAttempt(provider, at));
    return receipt;
  }
}

/** How an error is recorded on a log row: our code and message, the provider's code when there is one. */
export function toLogError(error: unknown): MessageLogError {
  if (error instanceof MessagingError) {
    const providerCode = error.details?.['providerCode'];
    const hasCode = typeof providerCode === 'string' || typeof providerCode === 'number';
    return {
      code: error.code,
      message: error.message,
      ...(hasCode ? { providerCode: String(providerCode) } : {}),
    };
  }
  return { code: 'INTERNAL_ERROR', message: error instanceof Error ? error.message : String(error) };
}
