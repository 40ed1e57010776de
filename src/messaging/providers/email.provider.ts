import type { ProviderBase, ProviderReceipt } from './provider.interface.js';

/** A fully rendered email, ready for the wire. */
export interface OutgoingEmail {
  to: string[];
  cc?: string[];
  bcc?: string[];
  replyTo?: string;
  /** Overrides the provider's default From. */
  from?: string;
  subject: string;
  html: string;
  /** Plain-text alternative; always present so every mail is multipart/alternative. */
  text: string;
  /**
   * Message-ID header to use, angle brackets included (`<id@example.com>`);
   * the provider makes one up when absent. The queue sets it from the log
   * row, so a message sent again after a worker died is the same message to
   * receivers that de-duplicate by Message-ID.
   */
  messageId?: string;
  /** Extra header fields, e.g. List-Unsubscribe and List-Unsubscribe-Post on marketing mail. */
  headers?: Record<string, string>;
}

/** Port of the email channel. `receipt.messageId` is the mail's Message-ID. */
export interface EmailProvider extends ProviderBase {
  send(email: OutgoingEmail): Promise<ProviderReceipt>;
}

/** Injection token of the email provider (`null` when none is configured). */
export const EmailProvider = Symbol('EmailProvider');

/** Name shown in health when no email provider is configured. */
export const DEFAULT_EMAIL_PROVIDER_NAME = 'smtp';
