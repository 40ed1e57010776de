// Delivery receipts (issue #13): how a provider's message statuses map onto the log row's, the
// order statuses move in, and readable messages for the provider's common error codes. In
// common/ because the log writer, the webhook routes, the OpenAPI models and other modules
// (consent, outbound webhooks) read the same tables.

import type { MessageStatus } from './message-log-fields.js';

/** The status callback route, under the module's route prefix (`messaging/webhooks/twilio/status`). */
export const TWILIO_STATUS_ROUTE = 'webhooks/twilio/status';

/** The row statuses a receipt can move a row to. */
export type ReceiptStatus = Extract<MessageStatus, 'sent' | 'delivered' | 'read' | 'undelivered' | 'failed' | 'cancelled'>;

/** Twilio's MessageStatus values and the row status each one means; any other value is ignored. */
export const TWILIO_STATUS_MAP: Readonly<Record<string, ReceiptStatus>> = {
  accepted: 'sent',
  queued: 'sent',
  sending: 'sent',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'undelivered',
  failed: 'failed',
  canceled: 'cancelled',
};

/**
 * The statuses a row may leave for each receipt status: only forward.
 * `sent` < `delivered` < `read`; `undelivered`, `failed` and `cancelled` are
 * final and reached from `sent` alone (a message already delivered is not
 * undone by a late failure report). `sent` is where a row already is once
 * the provider accepted it, so a `sent` receipt never moves anything: a
 * duplicate or a late (out of order) receipt changes nothing.
 */
export const RECEIPT_MOVES_FROM: Readonly<Record<ReceiptStatus, readonly MessageStatus[]>> = {
  sent: [],
  delivered: ['sent'],
  read: ['sent', 'delivered'],
  undelivered: ['sent'],
  failed: ['sent'],
  cancelled: ['sent'],
};

/** Receipt statuses that carry the provider's error code into `error.providerCode`. */
export const FAILED_RECEIPTS: ReadonlySet<ReceiptStatus> = new Set(['undelivered', 'failed']);

/** Readable messages for Twilio's common delivery error codes (https://www.twilio.com/docs/api/errors). */
export const TWILIO_ERROR_MESSAGES: Readonly<Record<string, string>> = {
  '30003': 'unreachable destination handset: the phone is off or out of coverage',
  '30004': 'message blocked: the recipient or their carrier blocks this sender',
  '30005': 'unknown destination handset: the number does not exist or is no longer in service',
  '30006': 'landline or unreachable carrier: the number cannot receive this message',
  '30007': 'message filtered by the carrier as spam or for its content',
  '30008': 'unknown error reported by the carrier',
  '21610': 'the recipient replied STOP: unsubscribed from this sender',
  '63016': 'outside the 24-hour window: use an approved template',
};

/** The message for a Twilio error code: the readable one when known, else a generic one naming it. */
export function twilioErrorMessage(code: string | undefined): string {
  if (code === undefined) return 'the provider reported the message as not delivered';
  return TWILIO_ERROR_MESSAGES[code] ?? `the provider reported error ${code}`;
}

/** At most this many entries of `events` are kept on a row (the newest). */
export const MAX_RECEIPT_EVENTS = 20;

/** One accepted receipt, as the row's `events` keeps it. */
export interface ReceiptEvent {
  /** The row status it moved to. */
  status: ReceiptStatus;
  /** The provider's own status (`delivered`, `canceled`...). */
  providerStatus: string;
  /** When it was received. */
  at: Date;
  /** The provider's error code, on `undelivered` / `failed`. */
  errorCode?: string;
}
