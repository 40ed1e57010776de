import type { Types, UpdateQuery } from 'mongoose';
import type { StatusChange } from '../common/status-announcements.js';
import type { MessageChannel, MessageLog, MessageLogError, MessageStatus } from './message-log.schema.js';

/** The fields of a row a status move reads back: what its announcement carries, and what the condition checks. */
export const MOVED_ROW_FIELDS = { status: 1, error: 1, channel: 1, to: 1, messageId: 1, provider: 1 } as const;

/** A row as it was just before a move (MOVED_ROW_FIELDS). */
export interface MovedRow {
  _id: Types.ObjectId;
  status: MessageStatus;
  error?: MessageLogError;
  channel: MessageChannel;
  to: string | string[];
  messageId?: string;
  provider?: string;
}

type Fields = Partial<Pick<MessageLog, 'status' | 'error' | 'messageId' | 'provider'>>;

/**
 * What a move did to a row, given the row before it and the update it
 * applied: the update's `$set` and `$unset` on the announced fields (the
 * update was applied as a whole, atomically, to exactly that row). Undefined
 * when the status stayed as it was (a retry recorded on a `pending` row).
 */
export function changeOf(before: MovedRow, update: UpdateQuery<MessageLog>, at: Date): StatusChange | undefined {
  const set = (update.$set ?? {}) as Fields;
  const unset = (update.$unset ?? {}) as Record<string, unknown>;
  const after = (key: keyof Fields) => (key in unset ? undefined : key in set ? set[key] : before[key]);
  const status = after('status') as MessageStatus | undefined;
  if (status === undefined || status === before.status) return undefined;
  const messageId = after('messageId') as string | undefined;
  const provider = after('provider') as string | undefined;
  const error = after('error') as MessageLogError | undefined;
  return {
    id: before._id.toHexString(),
    channel: before.channel,
    to: before.to,
    status,
    previousStatus: before.status,
    ...(messageId === undefined ? {} : { messageId }),
    ...(provider === undefined ? {} : { provider }),
    ...(error === undefined ? {} : { error: { ...error } }),
    at,
  };
}
