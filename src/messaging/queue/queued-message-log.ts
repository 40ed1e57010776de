import { Inject, Injectable } from '@nestjs/common';
import mongoose, { type Model } from 'mongoose';
import { StatusUpdates, type AllowedFrom } from '../logs/status-updates.js';
import { MESSAGE_LOG_MODEL } from '../messaging.tokens.js';
import type { MessageChannel, MessageLog, MessageLogError, MessageStatus } from '../logs/message-log.schema.js';

/*
 * The states each move starts from (logs/status-updates.ts applies them).
 * A `pending` row WITH `error` is between two attempts (the last one failed
 * transiently and was recorded); a `pending` row WITHOUT `error` has an
 * attempt in flight, or had one whose worker died before recording it.
 */
/** A message no worker has taken yet: the only state a client may cancel. */
const WAITING: AllowedFrom = [{ status: 'queued' }, { status: 'scheduled' }];
/** A worker may take a waiting row, or one between two attempts. */
const CLAIMABLE: AllowedFrom = [...WAITING, { status: 'pending', withError: true }];
/** An attempt that never recorded its outcome. */
const INTERRUPTED: AllowedFrom = [{ status: 'pending', withError: false }];
/** Anything not final yet. */
const UNFINISHED: AllowedFrom = [...WAITING, { status: 'pending' }];

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
  /** Who owns the row (cancellation checks it); absent on rows older than tenants, until backfilled. */
  tenant?: string;
  /** Who asked for the message (its tenant, for jobs enqueued without a consent context). */
  requestedBy?: string;
}

/** The outcome of a worker's claim on a row. */
export type Claim =
  /** The row was waiting (or `pending` after a recorded failure) and is now this attempt's: send. */
  | { claimed: true }
  /** Someone else has it, or it is over; `row` is undefined when it no longer exists. */
  | { claimed: false; row?: QueuedRow };

const ROW_FIELDS = { status: 1, channel: 1, to: 1, error: 1, sendAt: 1, tenant: 1, requestedBy: 1 } as const;

/**
 * The queue's writes to the message log. Every one is a status move of one
 * row, conditional on its current state (logs/status-updates.ts), so when the
 * API, a cancellation and one or more workers race for the same row, one of
 * them wins and the others see the row as it is now: exactly one on MongoDB,
 * and within one process on FerretDB 1.x (see that file for between processes).
 */
@Injectable()
export class QueuedMessageLog {
  constructor(
    @Inject(MESSAGE_LOG_MODEL) private readonly model: Model<MessageLog>,
    private readonly statuses: StatusUpdates,
  ) {}

  /**
   * A worker starts an attempt: a waiting row, or a `pending` one whose last
   * attempt was recorded as failed, becomes `pending` without error. Throws
   * when the database cannot be reached (the job is then postponed).
   */
  async claim(id: string, fields: Pick<MessageLog, 'suppressed'> = {}): Promise<Claim> {
    const claimed = await this.statuses.move(id, CLAIMABLE, { $set: { ...fields, status: 'pending' }, $unset: { error: 1 } });
    if (claimed) return { claimed: true };
    const row = await this.find(id);
    return row ? { claimed: false, row } : { claimed: false };
  }

  /**
   * Every recipient of a waiting row opted out before a worker took it: the row ends `suppressed`.
   * False when the row is no longer claimable (cancelled, or taken by another worker).
   */
  async suppress(id: string, suppressed: string[], error: MessageLogError): Promise<boolean> {
    return this.statuses.move(id, CLAIMABLE, { $set: { status: 'suppressed', suppressed, error } });
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
    const cancelled = await this.statuses.move(id, WAITING, { $set: { status: 'cancelled' } });
    return { cancelled, row: await this.find(id) };
  }

  /**
   * The job of a waiting row could not be enqueued: the row ends `failed`.
   * False when the row is no longer waiting (the job did reach Redis and a
   * worker already took it).
   */
  async failWaiting(id: mongoose.Types.ObjectId, error: MessageLogError): Promise<boolean> {
    return this.statuses.move(id, WAITING, { $set: { status: 'failed', error } });
  }

  /**
   * A row whose attempt was interrupted (`pending`, no recorded outcome) ends
   * `failed` with OUTCOME_UNKNOWN: the provider may or may not have the message.
   */
  async failInterrupted(id: string, message: string): Promise<boolean> {
    return this.statuses.move(id, INTERRUPTED, { $set: { status: 'failed', error: { code: OUTCOME_UNKNOWN, message } } });
  }

  /** Any row not final yet ends `failed` (BullMQ gave up on its job without running it). */
  async failUnfinished(id: string, error: MessageLogError): Promise<boolean> {
    return this.statuses.move(id, UNFINISHED, { $set: { status: 'failed', error } });
  }
}
