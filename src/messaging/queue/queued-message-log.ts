import { Inject, Injectable, Logger } from '@nestjs/common';
import { describeError } from '../common/describe-error.js';
import mongoose, { type Model } from 'mongoose';
import { StatusUpdates, type AllowedFrom } from '../logs/status-updates.js';
import { MESSAGE_LOG_MODEL } from '../messaging.tokens.js';
import type { MessageChannel, MessageLog, MessageLogError, MessageStatus } from '../logs/message-log.schema.js';
import type { NewMessageLog } from '../logs/message-log.repository.js';
import { DeadlineExceededError, withDeadline } from '../common/deadline.js';
import { currentRequestId } from '../common/request-id.js';
import { ServiceUnavailableError } from '../errors/messaging.errors.js';

/** MongoDB's duplicate key error. */
const DUPLICATE_KEY = 11000;

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

/** A row of a batch as first written: waiting for a worker, or `suppressed` with its error. */
export type BatchRow = NewMessageLog & { _id: mongoose.Types.ObjectId } & (
    | { status: 'queued' }
    | { status: 'scheduled'; sendAt: Date }
    | { status: 'suppressed'; error: MessageLogError }
  );

/** Attempts of the batch insert when the server answers with an error (FerretDB on SQLite: "database is locked"). */
const BATCH_WRITE_ATTEMPTS = 4;
const BATCH_WRITE_BACKOFF_MS = 50;
/** Generous, as for a single row (logs/message-log.repository.ts): SQLite may make a writer wait 10 s. */
const BATCH_WRITE_DEADLINE_MS = 30_000;

/**
 * The queue's writes to the message log. Every one is a status move of one
 * row, conditional on its current state (logs/status-updates.ts), so when the
 * API, a cancellation and one or more workers race for the same row, one of
 * them wins and the others see the row as it is now: exactly one on MongoDB,
 * and within one process on FerretDB 1.x (see that file for between processes).
 */
@Injectable()
export class QueuedMessageLog {
  private readonly logger = new Logger('MessageLog');

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
   * Writes a batch's rows with ONE insertMany (ids chosen by the caller, so a retry after a busy
   * answer cannot write a row twice: what the first attempt wrote meets a duplicate key, which is
   * then success). Each row carries the request id as a single send's row does. Throws
   * SERVICE_UNAVAILABLE when the rows cannot be written; a write that lands after the deadline
   * leaves its waiting rows `failed` (`onLate`), as nothing was enqueued for them.
   */
  async insertBatch(rows: BatchRow[], onLate: (ids: mongoose.Types.ObjectId[]) => Promise<unknown>): Promise<void> {
    const requestId = currentRequestId();
    const now = new Date();
    // Lean: hydrating 1,000 documents was a third of a batch's CPU (bench --batch --profile-batch). The
    // rows are built by our code from validated requests, with schema fields only; what hydration
    // added is added here (timestamps, no undefined fields: the driver would store them as null).
    const docs = rows.map((row) => {
      // Fields set on the copy rather than spread into a new object: half the CPU of building the rows.
      const doc: Record<string, unknown> = withoutUndefined<object>(row) as Record<string, unknown>;
      if (requestId !== undefined && doc.requestId === undefined) doc.requestId = requestId;
      doc.createdAt = now;
      doc.updatedAt = now;
      return doc;
    });
    const writing = this.insertRetrying(docs);
    try {
      await withDeadline(writing, BATCH_WRITE_DEADLINE_MS, 'batch log rows write');
    } catch (error) {
      this.logger.error(`Could not write a batch's ${rows.length} log rows: ${describeError(error)}`);
      if (error instanceof DeadlineExceededError) {
        void writing.then(() => onLate(rows.filter((row) => row.status !== 'suppressed').map((row) => row._id))).catch(() => undefined);
      }
      throw new ServiceUnavailableError();
    }
  }

  private async insertRetrying(docs: object[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.model.insertMany(docs, { ordered: false, lean: true });
        return;
      } catch (error) {
        if (attempt > 1 && onlyDuplicateKeys(error)) return;
        if (attempt === BATCH_WRITE_ATTEMPTS || !(error instanceof Error && /^Mongo(Server|BulkWrite)Error$/.test(error.name))) {
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, BATCH_WRITE_BACKOFF_MS * attempt));
      }
    }
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

/** True when every write error of a bulk insert is a duplicate key (the rows are there already). */
function onlyDuplicateKeys(error: unknown): boolean {
  const errors = (error as { writeErrors?: unknown }).writeErrors;
  const list = Array.isArray(errors) ? (errors as Array<{ code?: unknown }>) : [];
  return list.length > 0 && list.every((e) => e.code === DUPLICATE_KEY);
}

/**
 * A copy without the keys whose value is undefined, in nested plain objects and lists too. A plain
 * loop: the entries/filter/fromEntries version was 7 % of a batch's CPU (bench --batch --profile-batch).
 */
function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const field = source[key];
    if (field !== undefined) copy[key] = withoutUndefined(field);
  }
  return copy as T;
}
