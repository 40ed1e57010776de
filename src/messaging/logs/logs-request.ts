import { ValidationError, type FieldError } from '../errors/messaging.errors.js';
import { decodeLogCursor, type LogPosition } from './log-cursor.js';
import type { LogCriteria } from './log-filter.js';
import { DEFAULT_LIMIT, type ListLogsQueryDto } from './dto/list-logs.query.js';
import { parseIsoInstant } from './dto/iso-instant.js';

/** A validated GET /messaging/logs request, in the terms the query needs. */
export interface LogsRequest {
  criteria: LogCriteria;
  limit: number;
  offset: number;
  /** Set for cursor paging: the page starts after this position. */
  after?: LogPosition;
}

/**
 * Turns the validated query DTO into criteria, checking what one field alone
 * cannot: since before until, a cursor we issued (for this tenant's view:
 * `tenant`, unset for every tenant), and no offset beside a
 * cursor (a cursor already says where the page starts). Throws
 * VALIDATION_ERROR listing the bad fields.
 */
export function toLogsRequest(query: ListLogsQueryDto, cursorKey: Buffer, tenant?: string): LogsRequest {
  const problems: FieldError[] = [];
  const since = query.since === undefined ? undefined : parseIsoInstant(query.since);
  const until = query.until === undefined ? undefined : parseIsoInstant(query.until);
  if (since && until && since.getTime() > until.getTime()) {
    problems.push({ field: 'since', errors: ['since must not be after until'] });
  }
  const after = query.cursor === undefined ? undefined : decodeLogCursor(query.cursor, cursorKey, tenant ?? '');
  if (query.cursor !== undefined && after === undefined) {
    problems.push({ field: 'cursor', errors: ['cursor must be a nextCursor value from a previous page'] });
  }
  const offset = query.offset ?? 0;
  if (query.cursor !== undefined && offset > 0) {
    problems.push({ field: 'offset', errors: ['offset cannot be combined with cursor'] });
  }
  if (problems.length > 0) {
    throw new ValidationError(`Invalid request: ${problems.map((p) => p.field).join(', ')}`, problems);
  }
  const criteria: LogCriteria = {
    tenant,
    channel: query.channel,
    to: query.to,
    status: query.status,
    template: query.template,
    direction: query.direction,
    since,
    until,
  };
  return { criteria, limit: query.limit ?? DEFAULT_LIMIT, offset, ...(after ? { after } : {}) };
}
