import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Model, QueryFilter } from 'mongoose';
import { ServiceUnavailableError } from '../errors/messaging.errors.js';
import { MESSAGE_LOG_MODEL } from '../messaging.tokens.js';
import { NEWEST_FIRST } from './log-filter.js';
import { LOG_DETAIL_PROJECTION, LOG_VIEW_PROJECTION, type StoredLogRow } from './log-view.js';
import type { MessageLog } from './message-log.schema.js';

/** Which slice of the newest-first order to read. */
export interface PageWindow {
  skip: number;
  limit: number;
}

/**
 * The read path of the message log (the write path is MessageLogRepository).
 * Reads only the fields the API shows, as plain objects (lean). A database
 * failure becomes SERVICE_UNAVAILABLE; the cause goes to the log, not the client.
 */
@Injectable()
export class MessageLogQuery {
  private readonly logger = new Logger('MessageLogQuery');

  constructor(@Inject(MESSAGE_LOG_MODEL) private readonly model: Model<MessageLog>) {}

  /** Rows matching `filter`, newest first. */
  findPage(filter: QueryFilter<MessageLog>, window: PageWindow): Promise<StoredLogRow[]> {
    return this.guard('list', () =>
      this.model
        .find(filter, LOG_VIEW_PROJECTION)
        .sort(NEWEST_FIRST)
        .skip(window.skip)
        .limit(window.limit)
        .lean<StoredLogRow[]>()
        .exec(),
    );
  }

  /** Exact number of rows matching `filter` (separate from the page read: no transactions on FerretDB). */
  count(filter: QueryFilter<MessageLog>): Promise<number> {
    return this.guard('count', () => this.model.countDocuments(filter).exec());
  }

  /**
   * Number of rows in the collection, from its metadata instead of a scan:
   * exact on a running MongoDB server (it can drift only after an unclean
   * shutdown, until the next validate), and what an unfiltered list needs.
   */
  countAll(): Promise<number> {
    return this.guard('count', () => this.model.estimatedDocumentCount().exec());
  }

  /** The row with this `_id` (24 hex digits, already validated), of `tenant` when given, or null. */
  findById(id: string, tenant?: string): Promise<StoredLogRow | null> {
    const filter: QueryFilter<MessageLog> = tenant === undefined ? { _id: id } : { _id: id, tenant };
    return this.guard('read', () =>
      this.model.findOne(filter, LOG_DETAIL_PROJECTION).lean<StoredLogRow>().exec(),
    );
  }

  private async guard<T>(what: string, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      const cause = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.logger.error(`Message log ${what} failed: ${cause}`);
      throw new ServiceUnavailableError('The message log store is unavailable');
    }
  }
}
