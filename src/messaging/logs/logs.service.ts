import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '../errors/messaging.errors.js';
import type { ListLogsQueryDto } from './dto/list-logs.query.js';
import { encodeLogCursor, logCursorKey } from './log-cursor.js';
import { afterPosition, buildLogFilter, isUnfiltered } from './log-filter.js';
import { toLogView, type MessageLogView, type StoredLogRow } from './log-view.js';
import { MessageLogQuery } from './message-log.query.js';
import { toLogsRequest } from './logs-request.js';
import { MESSAGING_OPTIONS } from '../messaging.module-definition.js';
import type { MessagingModuleOptions } from '../messaging-options.interface.js';

/** Response of GET /messaging/logs: the seed's fields, plus `nextCursor`. */
export interface LogsPage {
  logs: MessageLogView[];
  /** Every row matching the filters, not just this page (the same on every page). */
  total: number;
  limit: number;
  offset: number;
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/**
 * Whose rows a read may see: one tenant's, or every tenant's (`tenant`
 * unset: an admin, or a host calling the service itself).
 */
export interface LogScope {
  tenant?: string;
}

/** Lists and reads message log rows. */
@Injectable()
export class LogsService {
  /** Signs and checks cursors: see log-cursor.ts. */
  private readonly cursorKey: Buffer;

  constructor(
    private readonly rows: MessageLogQuery,
    @Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions,
  ) {
    this.cursorKey = logCursorKey(options.logs?.cursorSecret ?? options.auth?.jwtSecret);
  }

  /**
   * One page, newest first, with the total of the filter. The page is read
   * with one extra row to learn whether another page follows; the count runs
   * alongside it (it is not the same snapshot: a row written in between can
   * make them differ by one). `scope` defaults to the query's own `tenant`
   * (every tenant without one); the API passes the caller's.
   */
  async list(query: ListLogsQueryDto, scope: LogScope = { tenant: query.tenant }): Promise<LogsPage> {
    const { criteria, limit, offset, after } = toLogsRequest(query, this.cursorKey, scope.tenant);
    const filter = buildLogFilter(criteria);
    const pageFilter = after ? afterPosition(filter, after) : filter;
    const [rows, total] = await Promise.all([
      this.rows.findPage(pageFilter, { skip: offset, limit: limit + 1 }),
      isUnfiltered(criteria) ? this.rows.countAll() : this.rows.count(filter),
    ]);
    const page = rows.slice(0, limit);
    const nextCursor = nextCursorOf(rows, page, this.cursorKey, scope.tenant ?? '');
    return { logs: page.map(toLogView), total, limit, offset, nextCursor };
  }

  /** One row by `_id`; NOT_FOUND when there is none, or when it belongs to another tenant than `scope`'s. */
  async get(id: string, scope: LogScope = {}): Promise<MessageLogView> {
    const row = await this.rows.findById(id, scope.tenant);
    if (!row) throw new NotFoundError('Message log not found');
    return toLogView(row);
  }
}

function nextCursorOf(rows: StoredLogRow[], page: StoredLogRow[], key: Buffer, view: string): string | null {
  const last = page.at(-1);
  if (rows.length <= page.length || !last) return null;
  return encodeLogCursor({ createdAt: new Date(last.createdAt), id: last._id.toHexString() }, key, view);
}
