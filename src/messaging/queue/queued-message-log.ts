import { Inject, Injectable } from '@nestjs/common';
import mongoose, { type Model, type QueryFilter, type UpdateQuery } from 'mongoose';
import { FilterPushdown } from '../logs/filter-pushdown.js';
import { MESSAGE_LOG_MODEL } from '../messaging.tokens.js';
import type { MessageChannel, MessageLog, MessageLogError, MessageStatus } from '../logs/message-log.schema.js';

/** Statuses of a message no worker has taken yet: the only ones a worker may claim or a client cancel. */
export const WAITING_STATUSES: readonly MessageStatus[] = ['queued', 'scheduled'];

/** Error code on a row whose worker stopped mid-send and that was not sent again. */
export const OUTCOME_UNKNOWN = 'OUTCOME_UNKNOWN';

/** What the queue needs to know of a row (read by `_id`). */
export interface QueuedRow {
  _id: mongoose.Types.ObjectId;
  status: MessageStatus;
  channel: MessageChannel;
  to: string | string[];
  /** Set on a `pending` row between two attempts: the previous attempt's failure. */
  error?: MessageLogError;
  sendAt?: Date;
}

/** The outcome of a worker's claim on a row. */
export type Claim =
  /** The row was waiting (or `pending` after a recorded failure) and is now this attempt's: send. */
  | { claimed: true }
  /** Someone else has it, or it is over; `row` is undefined when it no longer exists. */
  | { claimed: false; row?: QueuedRow };

const ROW_FIELDS = { status: 1, channel: 1, to: 1, error: 1, sendAt: 1 } as const;

/**
 * The queue's writes to the message log. Every one is a single conditional
 * update by `_id` and status, so when the API, a cancellation and one or more
 * workers race for the same row, exactly one of them wins and the others see
 * the row as it is now. On MongoDB that is one atomic updateOne found
 * through the `_id` index. FerretDB 1.x pushes down only a bare `_id`
 * filter: `{_id, status}` made it decode the whole collection for every
 * claim, so the queue drained slower as the log grew. There the row is read
 * by `_id`, the condition checked here, and the row updated by `_id`: what
 * FerretDB 1.24 itself does for a conditional update (a query, then a
 * write, no transaction), without the scan. So the race guarantee is
 * MongoDB's; on FerretDB it is as good as the server's own.
 *
 * A `pending` row WITH `error` is between two attempts (the last one failed
 * transiently and was recorded); a `pending` row WITHOUT `error` has an
 * attempt in flight, or had one whose worker died before recording it.
 */
@Injectable()
export class QueuedMessageLog {
  private readonly pushdown: FilterPushdown;

  constructor(@Inject(MESSAGE_LOG_MODEL) private readonly model: Model<MessageLog>) {
    this.pushdown = new FilterPushdown(model.db);
  }

  /**
   * A worker starts an attempt: a waiting row, or a `pending` one whose last
   * attempt was recorded as failed, becomes `pending` without error. Throws
   * when the database cannot be reached (the job is then postponed).
   */
  async claim(id: string): Promise<Claim> {
    const claimed = await this.updateIf(
      id,
      { $or: [{ status: { $in: WAITING_STATUSES } }, { status: 'pending', error: { $exists: true } }] },
      (row) => isWaiting(row) || (row.status === 'pending' && row.error !== undefined),
      { $set: { status: 'pending' }, $unset: { error: 1 } },
    );
    if (claimed) return { claimed: true };
    const row = await this.find(id);
    return row ? { claimed: false, row } : { claimed: false };
  }

  /** The row, or undefined. */
  async find(id: string): Promise<QueuedRow | undefined> {
    const row = await this.model.findById(id, ROW_FIELDS).lean<QueuedRow>().exec();
    return row ?? undefined;
  }

  /**
   * A waiting row becomes `cancelled`. Resolves with the row as it is now:
   * cancelled by this call, or in whatever status stopped the cancellation;
   * undefined when there is no such row.
   */
  async cancel(id: string): Promise<{ cancelled: boolean; row?: QueuedRow }> {
    // updateOne, then a read, rather than findOneAndUpdate: FerretDB 1.x
    // refuses findAndModify with a projection, and both filter on `_id`.
    const cancelled = await this.updateIf(id, { status: { $in: WAITING_STATUSES } }, isWaiting, { $set: { status: 'cancelled' } });
    return { cancelled, row: await this.find(id) };
  }

  /**
   * The job of a waiting row could not be enqueued: the row ends `failed`.
   * False when the row is no longer waiting (the job did reach Redis and a
   * worker already took it).
   */
  async failWaiting(id: mongoose.Types.ObjectId, error: MessageLogError): Promise<boolean> {
    return this.updateIf(id, { status: { $in: WAITING_STATUSES } }, isWaiting, { $set: { status: 'failed', error } });
  }

  /**
   * A row whose attempt was interrupted (`pending`, no recorded outcome) ends
   * `failed` with OUTCOME_UNKNOWN: the provider may or may not have the message.
   */
  async failInterrupted(id: string, message: string): Promise<boolean> {
    return this.updateIf(
      id,
      { status: 'pending', error: { $exists: false } },
      (row) => row.status === 'pending' && row.error === undefined,
      { $set: { status: 'failed', error: { code: OUTCOME_UNKNOWN, message } } },
    );
  }

  /** Any row not final yet ends `failed` (BullMQ gave up on its job without running it). */
  async failUnfinished(id: string, error: MessageLogError): Promise<boolean> {
    return this.updateIf(
      id,
      { status: { $in: [...WAITING_STATUSES, 'pending'] } },
      (row) => isWaiting(row) || row.status === 'pending',
      { $set: { status: 'failed', error } },
    );
  }

  /**
   * Applies `change` to the row `id` if it satisfies the condition, given
   * twice: as a filter (MongoDB evaluates it atomically with the update) and
   * as `matches` (FerretDB: checked here on the row read by `_id`, see the
   * class comment). Resolves with whether the row was updated.
   */
  private async updateIf(
    id: string | mongoose.Types.ObjectId,
    filter: QueryFilter<MessageLog>,
    matches: (row: QueuedRow) => boolean,
    change: UpdateQuery<MessageLog>,
  ): Promise<boolean> {
    if (!(await this.pushdown.onlyIdEquality())) {
      const result = await this.model.updateOne({ _id: id, ...filter }, change).exec();
      return result.matchedCount > 0;
    }
    const row = await this.model.findById(id, ROW_FIELDS).lean<QueuedRow>().exec();
    if (!row || !matches(row)) return false;
    const result = await this.model.updateOne({ _id: id }, change).exec();
    return result.matchedCount > 0;
  }
}

function isWaiting(row: QueuedRow): boolean {
  return WAITING_STATUSES.includes(row.status);
}
