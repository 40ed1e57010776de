import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import type { Model, QueryFilter, Types, UpdateQuery } from 'mongoose';
import { MESSAGE_LOG_MODEL } from '../messaging.tokens.js';
import { withDeadline } from '../common/deadline.js';
import { StatusAnnouncements } from '../common/status-announcements.js';
import type { MessageLog, MessageLogError, MessageStatus } from './message-log.schema.js';
import { changeOf, MOVED_ROW_FIELDS, type MovedRow } from './status-change.js';

/**
 * Every status move of a message log row goes through here: "if the row is
 * in one of these states, apply this update". The condition is data
 * (`AllowedFrom`), written once by the caller; both strategies derive what
 * they need from it.
 *
 * - `ATOMIC_UPDATE` (MongoDB): one `findOneAndUpdate({ _id, <condition> })`. MongoDB
 *   finds the row through the `_id` index and checks and writes atomically,
 *   so across any number of processes exactly one of several racing moves wins.
 * - `READ_CHECK_WRITE` (FerretDB 1.x): FerretDB hands only a filter that is
 *   exactly `{ _id }` to its SQLite backend; `{ _id, status }` makes it decode
 *   every row of the collection (~200 ms per update at 2,000 rows, ~1.5 s at
 *   20,000: docs/reliability.md). So the row is read by `_id`, the condition
 *   checked here, and the row updated by `_id`: two indexed lookups.
 *
 * Neither is atomic on FerretDB 1.x: it runs a conditional update itself as
 * a query, then a write, without a transaction (measured: 20 concurrent
 * `updateOne({ _id, status: { $in: [...] } })` on one row from 4 connections:
 * 1 to 10 of them matched). So moves of one row are serialized here, within this process,
 * whatever the strategy: racing moves in one process see each other's
 * result, exactly one wins. Between processes on FerretDB (an API and a
 * separate worker), a move landing between another's read and write can
 * still both succeed; on MongoDB the atomic update settles it.
 *
 * Each strategy answers with the row as it was just before its move (the
 * fields of MOVED_ROW_FIELDS), so that a successful move can be announced
 * with its previous status (StatusAnnouncements) without a second read that
 * another move could slip before.
 *
 * The strategy is chosen once per MessagingModule (so once per process),
 * from `buildInfo` (FerretDB answers `ferretdbVersion`), asked when the
 * application starts. Until it has an answer (not connected yet, no reply),
 * moves use the atomic update, the right one for MongoDB and on FerretDB
 * only slower; the question is asked again on the next move.
 */

/** One state a row may be moved from: a status, and optionally whether it holds a recorded `error`. */
export interface FromState {
  status: MessageStatus;
  /** true: only with an `error`; false: only without; absent: either. */
  withError?: boolean;
}

/** The states a row may be moved from (at least one); any other state, or no row, leaves it as it is. */
export type AllowedFrom = readonly [FromState, ...FromState[]];

/**
 * Moves `id` with `change` if it is in one of `allowedFrom`; resolves with
 * the row as it was before the move, or undefined when it did not move.
 */
export interface StatusUpdateStrategy {
  readonly name: string;
  move(model: Model<MessageLog>, id: RowId, allowedFrom: AllowedFrom, change: UpdateQuery<MessageLog>): Promise<MovedRow | undefined>;
}

type RowId = Types.ObjectId | string;

export const ATOMIC_UPDATE: StatusUpdateStrategy = {
  name: 'atomic update',
  async move(model, id, allowedFrom, change) {
    // Still one conditional operation: findOneAndUpdate checks the condition
    // and writes in one atomic step on the server, exactly as updateOne
    // does; it only also hands back the row it matched, as it was before the
    // write (returnDocument 'before'). Without a projection: FerretDB 1.x
    // refuses findAndModify's `fields` ("not implemented yet"), and this
    // strategy must work there too until buildInfo has answered. The whole
    // row is small: no bodies, and its lists are bounded.
    const before = await model.findOneAndUpdate({ _id: id, ...filterOf(allowedFrom) }, change, { returnDocument: 'before' }).lean<MovedRow>().exec();
    return before ?? undefined;
  },
};

export const READ_CHECK_WRITE: StatusUpdateStrategy = {
  name: 'read, check, write by _id',
  async move(model, id, allowedFrom, change) {
    // The row this strategy reads anyway is the pre-image the announcement needs.
    const row = await model.findById(id, MOVED_ROW_FIELDS).lean<MovedRow>().exec();
    if (!row || !allows(allowedFrom, row)) return undefined;
    const result = await model.updateOne({ _id: id }, change).exec();
    return result.matchedCount > 0 ? row : undefined;
  },
};

interface RowState {
  status: MessageStatus;
  error?: MessageLogError;
}

/** The condition as a MongoDB filter. `$exists` matches what `allows` checks: a present `error` field. */
function filterOf(allowedFrom: AllowedFrom): QueryFilter<MessageLog> {
  const clauses = allowedFrom.map(({ status, withError }) =>
    withError === undefined ? { status } : { status, error: { $exists: withError } },
  );
  return clauses.length === 1 ? clauses[0] : { $or: clauses };
}

/** The condition checked on a row read by `_id`. */
function allows(allowedFrom: AllowedFrom, row: RowState): boolean {
  return allowedFrom.some(
    ({ status, withError }) => row.status === status && (withError === undefined || withError === (row.error !== undefined)),
  );
}

/** `buildInfo` is instant on a healthy server; a stuck one must not hold the question open. */
const PROBE_DEADLINE_MS = 5_000;

/** The status moves of the message log, one instance (so one `buildInfo`) per MessagingModule. */
@Injectable()
export class StatusUpdates implements OnApplicationBootstrap {
  private readonly logger = new Logger('MessageLog');
  private chosen: StatusUpdateStrategy | undefined;
  private probing: Promise<StatusUpdateStrategy> | undefined;
  /** Per row id, the end of the moves of that row started in this process. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(MESSAGE_LOG_MODEL) private readonly model: Model<MessageLog>,
    @Optional() private readonly announcements?: StatusAnnouncements,
  ) {}

  /** Always `strategy`, never asked of the server: for code that builds these classes itself (specs). */
  static using(model: Model<MessageLog>, strategy: StatusUpdateStrategy, announcements?: StatusAnnouncements): StatusUpdates {
    const updates = new StatusUpdates(model, announcements);
    updates.chosen = strategy;
    return updates;
  }

  onApplicationBootstrap(): void {
    void this.strategy(); // never rejects
  }

  /**
   * Moves `id` with `change` if it is in one of `allowedFrom`. Resolves with
   * whether it moved; a move that changed the status is announced, after.
   */
  async move(id: RowId, allowedFrom: AllowedFrom, change: UpdateQuery<MessageLog>): Promise<boolean> {
    const before = await this.oneAtATime(String(id), async () => (await this.strategy()).move(this.model, id, allowedFrom, change));
    if (!before) return false;
    const announced = this.announcements && changeOf(before, change, new Date());
    if (announced) this.announcements?.announce(announced);
    return true;
  }

  /** The strategy for this server: known after the first answer to `buildInfo`, atomic until then. */
  async strategy(): Promise<StatusUpdateStrategy> {
    if (this.chosen) return this.chosen;
    this.probing ??= this.probe().finally(() => (this.probing = undefined));
    return this.probing;
  }

  private async probe(): Promise<StatusUpdateStrategy> {
    const db = this.model.db.db;
    if (!db) return ATOMIC_UPDATE;
    try {
      const info = await withDeadline(db.admin().command({ buildInfo: 1 }), PROBE_DEADLINE_MS, 'buildInfo');
      this.chosen = typeof info['ferretdbVersion'] === 'string' ? READ_CHECK_WRITE : ATOMIC_UPDATE;
      if (this.chosen === READ_CHECK_WRITE) {
        this.logger.log('FerretDB detected: message log status updates filter on _id alone, after reading the row');
      }
      return this.chosen;
    } catch {
      return ATOMIC_UPDATE; // unanswered or refused: asked again on the next move
    }
  }

  /**
   * Runs `run` after every earlier move of the same row in this process has
   * settled. A move that never settles (a stuck server) holds back the next
   * ones of that row only; callers bound their own waits (withDeadline).
   */
  private async oneAtATime<T>(key: string, run: () => Promise<T>): Promise<T> {
    const mine = (this.queues.get(key) ?? Promise.resolve()).then(run, run);
    const end = mine.catch(() => undefined);
    this.queues.set(key, end);
    try {
      return await mine;
    } finally {
      if (this.queues.get(key) === end) this.queues.delete(key);
    }
  }
}
