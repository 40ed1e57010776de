import { Logger } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { withDeadline } from './log-write-deadline.js';

/** `buildInfo` is instant on a healthy server; a stuck one must not hold the question open. */
const PROBE_DEADLINE_MS = 5_000;

/**
 * Which filters the connected server evaluates in its storage, found once per
 * connection with `buildInfo`.
 *
 * FerretDB 1.x (it answers `ferretdbVersion`) hands only a filter that is
 * exactly `{ _id: <ObjectId or string> }` to its backend; any other filter,
 * `{ _id, status }` included, is evaluated by reading and decoding every row
 * of the collection. On SQLite that made each status update of the message
 * log cost ~200 ms at 2,000 rows and ~1.5 s at 20,000 (docs/reliability.md).
 * MongoDB evaluates any filter with its indexes.
 *
 * Until the answer is known (not connected yet, or `buildInfo` failed) the
 * answer is "any filter": correct on both servers, only slower on FerretDB.
 */
export class FilterPushdown {
  private readonly logger = new Logger('MessageLog');
  private onlyId: boolean | undefined;
  private probing: Promise<boolean> | undefined;

  constructor(private readonly connection: Connection) {}

  /** True when only `{ _id }` equality filters are cheap on this server. */
  async onlyIdEquality(): Promise<boolean> {
    if (this.onlyId !== undefined) return this.onlyId;
    this.probing ??= this.probe().finally(() => (this.probing = undefined));
    return this.probing;
  }

  private async probe(): Promise<boolean> {
    const db = this.connection.db;
    if (!db) return false;
    try {
      const info = await withDeadline(db.admin().command({ buildInfo: 1 }), PROBE_DEADLINE_MS, 'buildInfo');
      this.onlyId = typeof info['ferretdbVersion'] === 'string';
      if (this.onlyId) {
        this.logger.log('FerretDB detected: message log status updates filter on _id alone, after reading the row');
      }
      return this.onlyId;
    } catch {
      return false; // unanswered or refused: asked again on the next status update
    }
  }
}
