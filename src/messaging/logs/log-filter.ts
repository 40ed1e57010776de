import { Types, type QueryFilter, type SortOrder } from 'mongoose';
import type { MessageChannel, MessageLog, MessageStatus } from './message-log.schema.js';
import type { LogPosition } from './log-cursor.js';
import type { MessageDirection } from '../common/consent-fields.js';

/** The filters of GET /messaging/logs, already validated and typed. */
export interface LogCriteria {
  /** Only this tenant's rows; unset for an admin reading every tenant. */
  tenant?: string;
  channel?: MessageChannel;
  /** A recipient: matches `to` equal to it, or a `to` list containing it. */
  to?: string;
  status?: MessageStatus;
  template?: string;
  /** `inbound`: messages recipients sent us; `outbound`: ours (rows written before directions existed included). */
  direction?: MessageDirection;
  /** Inclusive lower bound on `createdAt`. */
  since?: Date;
  /** Exclusive upper bound on `createdAt`. */
  until?: Date;
}

/**
 * Newest first; `_id` breaks ties between rows written in the same
 * millisecond, so the order is total and pages never overlap or skip.
 * Every index in message-log.schema.ts ends with these two keys.
 */
export const NEWEST_FIRST: Readonly<Record<'createdAt' | '_id', SortOrder>> = { createdAt: -1, _id: -1 };

/**
 * The MongoDB filter for the criteria. Values are placed only in value
 * positions (`{ to: value }`), never as keys or operators, and every value is
 * a string, a Date or an ObjectId by type: nothing a client sends can become
 * an operator. Equality on `to` matches a scalar or any element of a list,
 * which is MongoDB's (and FerretDB's) array semantics.
 */
export function buildLogFilter(criteria: LogCriteria): QueryFilter<MessageLog> {
  const filter: QueryFilter<MessageLog> = {};
  if (criteria.tenant !== undefined) filter.tenant = criteria.tenant;
  if (criteria.channel !== undefined) filter.channel = criteria.channel;
  if (criteria.status !== undefined) filter.status = criteria.status;
  if (criteria.to !== undefined) filter.to = criteria.to;
  if (criteria.template !== undefined) filter.template = criteria.template;
  if (criteria.direction === 'inbound') filter.direction = 'inbound';
  // `null` also matches rows without the field: outbound rows do not write it.
  if (criteria.direction === 'outbound') filter.direction = { $in: ['outbound', null] };
  const createdAt: { $gte?: Date; $lt?: Date } = {};
  if (criteria.since !== undefined) createdAt.$gte = criteria.since;
  if (criteria.until !== undefined) createdAt.$lt = criteria.until;
  if (createdAt.$gte !== undefined || createdAt.$lt !== undefined) filter.createdAt = createdAt;
  return filter;
}

/**
 * The filter for the rows strictly after `position` in NEWEST_FIRST order:
 * older rows, or rows of the same millisecond with a smaller `_id`. The
 * outer `$lte` bounds the index scan; the `$or` only trims the rows of that
 * one millisecond. Combined with the criteria by `$and`, so the criteria's own
 * `createdAt` range is kept as is.
 */
export function afterPosition(filter: QueryFilter<MessageLog>, position: LogPosition): QueryFilter<MessageLog> {
  const after: QueryFilter<MessageLog> = {
    createdAt: { $lte: position.createdAt },
    $or: [{ createdAt: { $lt: position.createdAt } }, { _id: { $lt: new Types.ObjectId(position.id) } }],
  };
  return Object.keys(filter).length === 0 ? after : { $and: [filter, after] };
}

/** True when the criteria select every row (the total is then the collection's size). */
export function isUnfiltered(criteria: LogCriteria): boolean {
  return Object.values(criteria).every((value) => value === undefined);
}
