import type { Types } from 'mongoose';
import type { ReceiptEvent, ReceiptStatus } from '../common/delivery-receipts.js';
import type {
  AttemptOutcome,
  MessageLogAttachment,
  MessageChannel,
  MessageLog,
  MessageLogAttempt,
  MessageLogError,
  MessageStatus,
} from './message-log.schema.js';
import type { MessageCategory, MessageDirection } from '../common/consent-fields.js';

/** One provider tried, as the API shows it. */
export interface MessageLogAttemptView {
  provider: string;
  /** When the provider was called; ISO-8601, UTC. */
  at: string;
  outcome: AttemptOutcome;
  /** When `outcome` is `failed`. */
  error?: MessageLogError;
}

/** One delivery receipt, as GET /messaging/logs/:id shows it. */
export interface MessageLogEventView {
  status: ReceiptStatus;
  /** The provider's own status. */
  providerStatus: string;
  /** When it was received; ISO-8601, UTC. */
  at: string;
  errorCode?: string;
}

/** One message log row as the API shows it (GET /messaging/logs and /messaging/logs/:id). */
export interface MessageLogView {
  /** 24 hex digits. */
  _id: string;
  channel: MessageChannel;
  /** As the client gave it: one address, or a list. */
  to: string | string[];
  /** Email only. */
  subject?: string;
  /** When the message was rendered from a template. */
  template?: string;
  /** The template variant that rendered (`fr`, `fr-CA`); absent for the default. */
  locale?: string;
  /** SMS: parts billed (GSM 03.38). */
  segments?: number;
  /** WhatsApp approved template: Twilio Content SID. */
  contentSid?: string;
  /** The keys of its `contentVariables` (values are not stored). */
  contentVariableNames?: string[];
  /** Email attachments: file name, type (when given) and decoded size. */
  attachments?: MessageLogAttachment[];
  status: MessageStatus;
  /** The provider's id; absent until the provider accepted the message. */
  messageId?: string;
  provider: string;
  /** When `status` is `failed` (or `pending` between two attempts of a queued message). */
  error?: MessageLogError;
  /** Every provider tried, in order; absent until the message is sent or failed. */
  attempts?: MessageLogAttemptView[];
  /** Scheduled messages: when it is to go out; ISO-8601, UTC. */
  sendAt?: string;
  /** Delivery receipts, oldest first (GET /messaging/logs/:id only; absent until one arrived). */
  events?: MessageLogEventView[];
  /** `transactional` or `marketing`; absent on rows written before categories existed. */
  category?: MessageCategory;
  /** `inbound` on messages recipients sent us; absent on ours. */
  direction?: MessageDirection;
  /** Inbound rows: who wrote to us. */
  from?: string;
  /** Email recipients left out because they are on the suppression list. */
  suppressed?: string[];
  /** ISO-8601, UTC. */
  createdAt: string;
  /** ISO-8601, UTC. */
  updatedAt: string;
}

/** A row as read from the collection (lean), limited to what the view needs. */
export type StoredLogRow = Pick<MessageLog, 'channel' | 'to' | 'status' | 'provider' | 'createdAt' | 'updatedAt'> &
  Partial<
    Pick<
      MessageLog,
      | 'subject'
      | 'template'
      | 'locale'
      | 'segments'
      | 'contentSid'
      | 'contentVariableNames'
      | 'attachments'
      | 'messageId'
      | 'error'
      | 'attempts'
      | 'sendAt'
      | 'events'
      | 'category'
      | 'direction'
      | 'from'
      | 'suppressed'
    >
  > & { _id: Types.ObjectId };

/**
 * The fields read from the database: only what the view shows, so `cc`,
 * `bcc` and `requestedBy` are never even fetched. `_id` comes by default.
 */
export const LOG_VIEW_PROJECTION = {
  channel: 1,
  to: 1,
  subject: 1,
  template: 1,
  locale: 1,
  segments: 1,
  contentSid: 1,
  contentVariableNames: 1,
  attachments: 1,
  status: 1,
  messageId: 1,
  provider: 1,
  error: 1,
  attempts: 1,
  sendAt: 1,
  category: 1,
  direction: 1,
  from: 1,
  suppressed: 1,
  createdAt: 1,
  updatedAt: 1,
} as const;

/** One row (GET /messaging/logs/:id): the list's fields and the receipt timeline, which the list leaves out. */
export const LOG_DETAIL_PROJECTION = { ...LOG_VIEW_PROJECTION, events: 1 } as const;

/**
 * Builds the API shape field by field (an allow-list: a field added to the
 * schema later does not leak by accident), in the documented key order.
 * Optional fields are omitted when empty rather than sent as null; dates
 * become ISO-8601 UTC strings.
 */
export function toLogView(row: StoredLogRow): MessageLogView {
  return {
    _id: row._id.toHexString(),
    channel: row.channel,
    to: Array.isArray(row.to) ? [...row.to] : row.to,
    ...(present(row.subject) ? { subject: row.subject } : {}),
    ...(present(row.template) ? { template: row.template } : {}),
    ...(present(row.locale) ? { locale: row.locale } : {}),
    ...(typeof row.segments === 'number' ? { segments: row.segments } : {}),
    ...(present(row.contentSid) ? { contentSid: row.contentSid } : {}),
    ...(Array.isArray(row.contentVariableNames) ? { contentVariableNames: [...row.contentVariableNames] } : {}),
    ...(Array.isArray(row.attachments) && row.attachments.length > 0 ? { attachments: row.attachments.map(toAttachmentView) } : {}),
    status: row.status,
    ...(present(row.messageId) ? { messageId: row.messageId } : {}),
    provider: row.provider,
    ...(row.error && present(row.error.code) ? { error: toViewError(row.error) } : {}),
    ...(Array.isArray(row.attempts) && row.attempts.length > 0 ? { attempts: row.attempts.map(toAttemptView) } : {}),
    ...(row.sendAt ? { sendAt: toIso(row.sendAt) } : {}),
    ...(Array.isArray(row.events) && row.events.length > 0 ? { events: row.events.map(toEventView) } : {}),
    ...(row.category ? { category: row.category } : {}),
    ...(row.direction === 'inbound' ? { direction: row.direction } : {}),
    ...(present(row.from) ? { from: row.from } : {}),
    ...(Array.isArray(row.suppressed) && row.suppressed.length > 0 ? { suppressed: [...row.suppressed] } : {}),
    createdAt: toIso(row.createdAt),
    updatedAt: toIso(row.updatedAt ?? row.createdAt),
  };
}

function toViewError(error: MessageLogError): MessageLogError {
  return {
    code: error.code,
    message: error.message,
    ...(present(error.providerCode) ? { providerCode: error.providerCode } : {}),
  };
}

function toAttachmentView(attachment: MessageLogAttachment): MessageLogAttachment {
  return {
    filename: attachment.filename,
    ...(present(attachment.contentType) ? { contentType: attachment.contentType } : {}),
    size: attachment.size,
  };
}

function toAttemptView(attempt: MessageLogAttempt): MessageLogAttemptView {
  return {
    provider: attempt.provider,
    at: toIso(attempt.at),
    outcome: attempt.outcome,
    ...(attempt.error && present(attempt.error.code) ? { error: toViewError(attempt.error) } : {}),
  };
}

function toEventView(event: ReceiptEvent): MessageLogEventView {
  return {
    status: event.status,
    providerStatus: event.providerStatus,
    at: toIso(event.at),
    ...(present(event.errorCode) ? { errorCode: event.errorCode } : {}),
  };
}

function present(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.length > 0;
}

function toIso(value: Date | string): string {
  return new Date(value).toISOString();
}
