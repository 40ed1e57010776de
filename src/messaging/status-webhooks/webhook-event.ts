import { randomUUID } from 'node:crypto';
import type { StatusChange } from '../common/status-announcements.js';
import type { MessageStatus } from '../common/message-log-fields.js';

/**
 * The status changes posted to webhooks: those a user's system can act on
 * (the message's fate). `pending`, `queued` and `scheduled` are internal
 * steps. Strings, not MessageStatus: receipts add statuses to the log.
 */
export const ANNOUNCED_STATUSES: ReadonlySet<string> = new Set(['sent', 'delivered', 'undelivered', 'read', 'failed', 'cancelled']);

export function isAnnounced(status: MessageStatus): boolean {
  return ANNOUNCED_STATUSES.has(status);
}

/** One event, as every attempt to every receiver posts it: the same id and the same bytes. */
export interface WebhookEvent {
  /** `webhook-id`: receivers deduplicate on it. */
  id: string;
  /** The JSON body. */
  body: string;
}

/** The `message.status` event of a change (docs/webhooks.md). No message body: the log never has one. */
export function webhookEventOf(change: StatusChange): WebhookEvent {
  const payload = {
    type: 'message.status',
    timestamp: change.at.toISOString(),
    data: {
      id: change.id,
      messageId: change.messageId ?? null,
      channel: change.channel,
      to: change.to,
      status: change.status,
      previousStatus: change.previousStatus,
      provider: change.provider ?? null,
      ...(change.error ? { error: change.error } : {}),
    },
  };
  return { id: `msg_${randomUUID().replace(/-/g, '')}`, body: JSON.stringify(payload) };
}
