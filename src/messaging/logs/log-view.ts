import type { Types } from 'mongoose';
import type {
  AttemptOutcome,
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
  Partial<Pick<MessageLog, 'subject' | 'template' | 'messageId' | 'error' | 'attempts' | 'sendAt' | 'category' | 'direction' | 'from' | 'suppressed'>> & {
    _id: Types.ObjectId;
  };

/**
 * The fields read from the database: only what the view shows, so `cc`,
 * `bcc` and `requestedBy` are never even fetched. `_id` comes by default.
 */
export const LOG_VIEW_PROJECTION = {
  channel: 1,
  to: 1,
  subject: 1,
  template: 1,
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
    status: row.status,
    ...(present(row.messageId) ? { messageId: row.messageId } : {}),
    provider: row.provider,
    ...(row.error && present(row.error.code) ? { error: toViewError(row.error) } : {}),
    ...(Array.isArray(row.attempts) && row.attempts.length > 0 ? { attempts: row.attempts.map(toAttemptView) } : {}),
    ...(row.sendAt ? { sendAt: toIso(row.sendAt) } : {}),
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

function toAttemptView(attempt: MessageLogAttempt): MessageLogAttemptView {
  return {
    provider: attempt.provider,
    at: toIso(attempt.at),
    outcome: attempt.outcome,
    ...(attempt.error && present(attempt.error.code) ? { error: toViewError(attempt.error) } : {}),
  };
}

function present(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.length > 0;
}

function toIso(value: Date | string): string {
  return new Date(value).toISOString();
}
