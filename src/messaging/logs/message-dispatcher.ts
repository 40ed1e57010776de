import { Injectable } from '@nestjs/common';
import { MessagingError } from '../errors/messaging.errors.js';
import { reportedOutcome, singleAttempt } from './delivery-outcome.js';
import { MessageLogRepository, type NewMessageLog } from './message-log.repository.js';
import { noteProviderCall } from '../idempotency/send-attempt.js';
import type { MessageLogAttempt } from './message-log.schema.js';

/** What a provider answers when it accepts a message. */
export interface ProviderReceipt {
  /** The provider's id for the message (SMTP Message-ID, Twilio SID). */
  messageId: string;
  /** Set by a failover provider: the provider that delivered (a plain provider is `entry.provider`). */
  provider?: string;
  /** Set by a failover provider: every provider tried, in order. */
  attempts?: MessageLogAttempt[];
}

/**
 * The one path every send takes: write the `pending` row, call the provider,
 * record `sent` or `failed`. If the row cannot be written the provider is
 * never called (SERVICE_UNAVAILABLE).
 */
@Injectable()
export class MessageDispatcher {
  constructor(private readonly logs: MessageLogRepository) {}

  async dispatch(entry: NewMessageLog, send: () => Promise<ProviderReceipt>): Promise<ProviderReceipt> {
    const id = await this.logs.createPending(entry);
    const at = new Date();
    let receipt: ProviderReceipt;
    // From here on the outcome must be kept for an Idempotency-Key (never re-sent).
    noteProviderCall();
    try {
      receipt = await send();
    } catch (error) {
      const logError = toLogError(error);
      await this.logs.markFailed(id, logError, reportedOutcome(error) ?? singleAttempt(entry.provider, at, logError));
      throw error;
    }
    await this.logs.markSent(id, receipt.messageId, reportedOutcome(receipt) ?? singleAttempt(entry.provider, at));
    return receipt;
  }
}

function toLogError(error: unknown) {
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
