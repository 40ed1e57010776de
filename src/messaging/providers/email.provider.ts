import type { ProviderBase, ProviderReceipt } from './provider.interface.js';

/**
 * A file attached to an email. `content` stays base64, as the request gave
 * it: a queued job holds the message as JSON, where base64 costs 4/3 of the
 * bytes and a Buffer several times that.
 */
export interface EmailAttachment {
  /** Cleaned of folders and control characters (see common/attachment-rules.ts). */
  filename: string;
  /** Base64 (RFC 4648). */
  content: string;
  contentType?: string;
  /** Content-ID, without angle brackets: the HTML shows the file inline with `cid:<contentId>`. */
  contentId?: string;
}

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
  attachments?: EmailAttachment[];
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
