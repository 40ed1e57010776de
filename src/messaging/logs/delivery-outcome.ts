import type { MessageLogAttempt, MessageLogError } from './message-log.schema.js';

/** Which provider a message ended with, and every provider tried on the way. */
export interface DeliveryOutcome {
  /** The provider that delivered, or the last one tried when none did. */
  provider: string;
  attempts: MessageLogAttempt[];
}

/**
 * The outcome a provider reported itself: a failover provider puts
 * `provider` and `attempts` on its receipt and on its errors. Undefined for
 * a plain provider, which tries once.
 */
export function reportedOutcome(source: unknown): DeliveryOutcome | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const { provider, attempts } = source as { provider?: unknown; attempts?: unknown };
  if (typeof provider !== 'string' || !Array.isArray(attempts) || attempts.length === 0) return undefined;
  return { provider, attempts: attempts as MessageLogAttempt[] };
}

/** The outcome of a plain provider: the one attempt it made, started at `at`. */
export function singleAttempt(provider: string, at: Date, error?: MessageLogError): DeliveryOutcome {
  const attempt: MessageLogAttempt = error
    ? { provider, at, outcome: 'failed', error }
    : { provider, at, outcome: 'sent' };
  return { provider, attempts: [attempt] };
}
