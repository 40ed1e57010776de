// What providers hand back, in common/ because both sides use it: providers/ returns
// it, logs/ records it, and providers/ must not import logs/ (docs/architecture.md).
import type { AttemptOutcome } from './message-log-fields.js';

export interface MessageLogError {
  code: string;
  message: string;
  /** The provider's own code: SMTP reply code, Twilio error code. */
  providerCode?: string;
}

/** What a log row keeps of an email attachment: never its content. */
export interface MessageLogAttachment {
  filename: string;
  /** When the request gave one. */
  contentType?: string;
  /** Decoded bytes. */
  size: number;
}

/** One provider tried for a message: which, when it was called, and how it answered. */
export interface MessageLogAttempt {
  provider: string;
  at: Date;
  outcome: AttemptOutcome;
  /** When `outcome` is `failed`. */
  error?: MessageLogError;
}

/** What a provider answers when it accepts a message. */
export interface ProviderReceipt {
  /** The provider's id for the message (SMTP Message-ID, Twilio SID). */
  messageId: string;
  /** Set by a failover provider: the provider that delivered (a plain provider is `entry.provider`). */
  provider?: string;
  /** Set by a failover provider: every provider tried, in order. */
  attempts?: MessageLogAttempt[];
}
