import { Injectable } from '@nestjs/common';
import { MessagingError } from '../errors/messaging.errors.js';
import type { Types } from 'mongoose';
import { noteProviderCall } from '../common/send-attempt.js';
import { reportedOutcome, singleAttempt } from './delivery-outcome.js';
import { MessageLogRepository, type NewMessageLog } from './message-log.repository.js';
import type { MessageLogError } from './message-log.schema.js';
import type { ProviderReceipt } from '../common/provider-receipt.js';

/**
 * The one path every send takes: write the `pending` row, call the provider,
 * record `sent` or `failed`. If the row cannot be written the provider is
 * never called (SERVICE_UNAVAILABLE).
 */
@Injectable()
export class MessageDispatcher {
  constructor(private readonly logs: MessageLogRepository) {}

  /** Resolves with the provider's receipt and `logId`, the row's id (24 hex digits). */
  async dispatch(entry: NewMessageLog, send: () => Promise<ProviderReceipt>): Promise<ProviderReceipt & { logId: string }> {
    const id = await this.logs.createPending(entry);
    return { ...(await this.deliver(id, entry.provider, send)), logId: id.toHexString() };
  }

  /**
   * Calls the provider for the row `id`, already `pending`, and records the
   * outcome: `sent` with the provider's id, or `failed`; rethrows the
   * provider's error. `provider` names the channel's provider for the
   * attempts list (a failover provider reports its own attempts instead). The synchronous path (dispatch) and the queue workers
   * share it. `retryLater(error)` true (workers, attempts left, transient
   * error) leaves the row `pending` with the error instead of `failed`.
   */
  async deliver(
    id: Types.ObjectId,
    provider: string,
    send: () => Promise<ProviderReceipt>,
    retryLater: (error: unknown) => boolean = () => false,
  ): Promise<ProviderReceipt> {
    const at = new Date();
    let receipt: ProviderReceipt;
    // From here on the outcome must be kept for an Idempotency-Key (never re-sent).
    noteProviderCall();
    try {
      receipt = await send();
    } catch (error) {
      const logError = toLogError(error);
      const outcome = reportedOutcome(error) ?? singleAttempt(provider, at, logError);
      if (retryLater(error)) await this.logs.markRetrying(id, logError, outcome);
      else await this.logs.markFailed(id, logError, outcome);
      throw error;
    }
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
