import { Inject, Injectable, Logger } from '@nestjs/common';
import mongoose, { type Model, type Types, type UpdateQuery } from 'mongoose';
import { ServiceUnavailableError } from '../errors/messaging.errors.js';
import { MESSAGE_LOG_MODEL } from '../messaging.tokens.js';
import type { DeliveryOutcome } from './delivery-outcome.js';
import { DeadlineExceededError, withDeadline } from '../common/deadline.js';
import type { MessageChannel, MessageLog, MessageLogAttachment, MessageLogError } from './message-log.schema.js';
import { StatusUpdates, type AllowedFrom } from './status-updates.js';
import { describeError } from '../common/describe-error.js';
import { currentRequestId } from '../common/request-id.js';
import type { MessageCategory } from '../common/consent-fields.js';

/** What a channel knows about a message before it is handed to a provider. */
export interface NewMessageLog {
  channel: MessageChannel;
  to: string | string[];
  cc?: string[];
  bcc?: string[];
  subject?: string;
  template?: string;
  /** The template variant that rendered (`fr`, `fr-CA`); absent for the template's default. */
  locale?: string;
  /** SMS: the parts the text is billed as (GSM 03.38). */
  segments?: number;
  /** WhatsApp approved template (Twilio Content SID). */
  contentSid?: string;
  /** The keys of its `contentVariables`, never their values (they may be personal data). */
  contentVariableNames?: string[];
  attachments?: MessageLogAttachment[];
  provider: string;
  requestedBy?: string;
  /** Who owns the row: only this tenant's callers (and admins) see it. */
  tenant?: string;
  /** Default: the id of the request being handled (see common/request-id.ts). */
  requestId?: string;
  /** `transactional` when absent. */
  category?: MessageCategory;
  /** Email recipients left out because they are on the suppression list, as the request wrote them. */
  suppressed?: string[];
}

/**
 * Attempts to write the pending row when the server answers with an error
 * (FerretDB on SQLite answers "database is locked" under concurrent writes);
 * an unreachable server is not retried, so an outage still answers 503 at once.
 */
const PENDING_WRITE_ATTEMPTS = 4;
const PENDING_WRITE_BACKOFF_MS = 50;
/** MongoDB's duplicate key error. */
const DUPLICATE_KEY = 11000;

/** Attempts to record a final status before giving up (the message already went out). */
const FINAL_WRITE_ATTEMPTS = 3;
const FINAL_WRITE_BACKOFF_MS = 200;

/**
 * Bounds on waiting for the database on the send path, so that a request
 * always answers even when the server never does (FerretDB 1.24 can deadlock
 * its own SQLite pool, docs/reliability.md). Generous: SQLite alone may make
 * a writer wait 10 s (its busy_timeout) before it answers "database is locked".
 */
const PENDING_WRITE_DEADLINE_MS = 30_000;
const FINAL_WRITE_DEADLINE_MS = 15_000;

/** A row as first written: `pending` (synchronous sends), `queued` or `scheduled` (the queue). */
type NewRow = NewMessageLog &
  Pick<MessageLog, 'status'> &
  Partial<Pick<MessageLog, 'direction' | 'from' | 'messageId'>> & { sendAt?: Date; error?: MessageLogError };

/** A message a recipient sent us (Twilio's inbound webhook): `to` is our number, `from` theirs. */
export type InboundMessageLog = Pick<NewMessageLog, 'channel' | 'to' | 'provider'> & Pick<MessageLog, 'from'> & { messageId?: string };

/** A final status is never overwritten: only a pending row records an outcome. */
const FROM_PENDING: AllowedFrom = [{ status: 'pending' }];

/** The write path of the message log: pending first, then sent or failed. */
@Injectable()
export class MessageLogRepository {
  private readonly logger = new Logger('MessageLog');

  constructor(
    @Inject(MESSAGE_LOG_MODEL) private readonly model: Model<MessageLog>,
    private readonly statuses: StatusUpdates,
  ) {}

  /**
   * Writes the `pending` row. Throws SERVICE_UNAVAILABLE when it cannot,
   * so the caller never reaches the provider without a row.
   */
  async createPending(entry: NewMessageLog): Promise<Types.ObjectId> {
    return this.insert({ ...entry, status: 'pending' });
  }

  /**
   * Writes the row of a message accepted for asynchronous delivery: `queued`,
   * or `scheduled` with `sendAt`. Same guarantees as createPending: the job is
   * enqueued only once this row exists.
   */
  async createQueued(entry: NewMessageLog, sendAt?: Date): Promise<Types.ObjectId> {
    return this.insert(sendAt ? { ...entry, status: 'scheduled', sendAt } : { ...entry, status: 'queued' });
  }

  /**
   * Writes the row of a message that was not sent because every recipient is on the suppression list,
   * so the logs show why. Same guarantees as createPending (503 when it cannot be written).
   */
  async createSuppressed(entry: NewMessageLog, error: MessageLogError): Promise<Types.ObjectId> {
    return this.insert({ ...entry, status: 'suppressed', error });
  }

  /** Records an inbound message as a `received` row with direction `inbound`; never its text. */
  async createInbound(entry: InboundMessageLog): Promise<Types.ObjectId> {
    return this.insert({ ...entry, direction: 'inbound', status: 'received' });
  }

  private async insert(row: NewRow): Promise<Types.ObjectId> {
    // The id is chosen here so a retry cannot write a second row: if an earlier
    // attempt did reach the collection, the retry meets a duplicate key.
    const _id = new mongoose.Types.ObjectId();
    const requestId = row.requestId ?? currentRequestId();
    const writing = this.writeRow(_id, requestId === undefined ? row : { ...row, requestId });
    try {
      return await withDeadline(writing, PENDING_WRITE_DEADLINE_MS, 'log row write');
    } catch (error) {
      if (!(error instanceof DeadlineExceededError)) throw error;
      this.logger.error(`Could not write message log row: ${error.message}`);
      // Not sent: if the write lands after all, the row must say so rather than stay pending.
      const notSent = { code: 'SERVICE_UNAVAILABLE', message: 'Log row written too late; message not sent' };
      // A failed late write, or a failed correction, has no one left to tell: not an unhandled rejection.
      void writing
        .then(() => this.statuses.move(_id, [{ status: row.status }], { $set: { status: 'failed', error: notSent } }))
        .catch(() => undefined);
      throw new ServiceUnavailableError();
    }
  }

  /**
   * The insert, retried while the server answers with an error (busy), under one client-chosen id.
   * The row is cast and checked against the schema (Model.validate: types, enums, required fields), then
   * inserted with the driver with the timestamps Model.create would set: no mongoose document is built
   * for a row nobody reads back, which cost about 0.5 ms of CPU per send (docs/benchmarks.md).
   */
  private async writeRow(_id: Types.ObjectId, row: NewRow): Promise<Types.ObjectId> {
    const now = new Date();
    let checked: MessageLog | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        checked ??= await this.model.validate({ _id, ...row, createdAt: now, updatedAt: now });
        await this.model.collection.insertOne(checked);
        return _id;
      } catch (error) {
        if (attempt > 1 && errorCode(error) === DUPLICATE_KEY) return _id;
        if (attempt === PENDING_WRITE_ATTEMPTS || !isServerAnswer(error)) {
          this.logger.error(`Could not write message log row: ${describeError(error)}`);
          throw new ServiceUnavailableError();
        }
        await new Promise((resolve) => setTimeout(resolve, PENDING_WRITE_BACKOFF_MS * attempt));
      }
    }
  }

  /** `outcome` (the provider that delivered, every attempt) is recorded with the status when given. */
  async markSent(id: Types.ObjectId, messageId: string, outcome?: DeliveryOutcome): Promise<void> {
    await this.finalize(id, { status: 'sent', messageId, ...outcome });
  }

  /** `outcome` (the last provider tried, every attempt) is recorded with the status when given. */
  async markFailed(id: Types.ObjectId, error: MessageLogError, outcome?: DeliveryOutcome): Promise<void> {
    await this.finalize(id, { status: 'failed', error, ...outcome });
  }

  /**
   * A queued message failed transiently and another attempt follows: the row
   * stays `pending` and shows the error until the next attempt claims it.
   */
  async markRetrying(id: Types.ObjectId, error: MessageLogError, outcome?: DeliveryOutcome): Promise<void> {
    await this.finalize(id, { error, ...outcome });
  }

  /**
   * The provider has already answered, so the outcome must not be lost to a
   * passing database error: retry a few times, then log loudly. The request
   * still gets the provider's answer; the row stays `pending` only if the
   * database is gone for longer than the retries.
   */
  private async finalize(id: Types.ObjectId, update: Partial<MessageLog>): Promise<void> {
    // Attempts are appended, not replaced: a queued message tried by several
    // jobs (retries after a backoff) keeps every provider call on its row.
    const { attempts, ...fields } = update;
    const change: UpdateQuery<MessageLog> =
      attempts && attempts.length > 0 ? { $set: fields, $push: { attempts: { $each: attempts } } } : { $set: fields };
    for (let attempt = 1; attempt <= FINAL_WRITE_ATTEMPTS; attempt++) {
      try {
        const moved = await withDeadline(this.statuses.move(id, FROM_PENDING, change), FINAL_WRITE_DEADLINE_MS, 'log status update');
        if (!moved) {
          this.logger.warn(`Message log ${id.toHexString()} was no longer pending; kept as it was, not set to ${String(update.status)}`);
        }
        return;
      } catch (error) {
        if (attempt === FINAL_WRITE_ATTEMPTS) {
          this.logger.error(`Message log ${id.toHexString()} left pending: ${describeError(error)}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, FINAL_WRITE_BACKOFF_MS * attempt));
      }
    }
  }
}

/** The server was reached and refused this write (busy, conflict), as opposed to being unreachable. */
function isServerAnswer(error: unknown): boolean {
  return error instanceof Error && error.name === 'MongoServerError';
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}
