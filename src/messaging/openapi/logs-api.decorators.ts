import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery } from '../common/swagger.js';
import { ErrorCode } from '../errors/error-codes.js';
import { MAX_CURSOR_LENGTH, MAX_LIMIT, MAX_OFFSET } from '../common/limits.js';
import { CHANNELS, MESSAGE_STATUSES } from '../common/message-log-fields.js';
import { MESSAGE_DIRECTIONS } from '../common/consent-fields.js';
import { ApiErrorResponses, COMMON_ERROR_CODES } from './api-error-responses.js';
import { LogsPageModel, MessageLogModel } from './api-models.js';

/** Printable text: no control characters (the DTO refuses them). */
const PRINTABLE = '^[^\\u0000-\\u001f\\u007f-\\u009f]+$';
/**
 * `2025-01-15` or a date-time with `Z` or an offset, admitting only what dto/iso-instant.ts accepts:
 * real calendar days (30-day months, February 29 in leap years only), hours 00-23, minutes and
 * seconds 00-59. `[0-9]`, not `\d`: generators read the pattern as a Python regex, where `\d`
 * also matches other scripts' digits, which the API refuses.
 */
const DAY_31 = '(?:0[1-9]|[12][0-9]|3[01])';
const DAY_30 = '(?:0[1-9]|[12][0-9]|30)';
const LEAP_YEAR = '(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)';
const CALENDAR_DATE =
  `(?:[0-9]{4}-(?:(?:0[13578]|1[02])-${DAY_31}|(?:0[469]|11)-${DAY_30}|02-(?:0[1-9]|1[0-9]|2[0-8]))` +
  `|${LEAP_YEAR}-02-29)`;
const CLOCK = '(?:[01][0-9]|2[0-3]):[0-5][0-9]';
export const ISO_INSTANT = `^${CALENDAR_DATE}(?:T${CLOCK}(?::[0-5][0-9](?:\\.[0-9]{1,9})?)?(?:Z|[+-]${CLOCK}))?$`;

/** OpenAPI description of GET /messaging/logs: the query parameters with ListLogsQueryDto's rules. */
export function ApiListLogs(): MethodDecorator {
  return applyDecorators(
    ApiOperation({ summary: 'List message log rows, newest first' }),
    ApiQuery({ name: 'channel', required: false, enum: CHANNELS }),
    ApiQuery({ name: 'to', required: false, schema: { type: 'string', minLength: 1, maxLength: 320, pattern: PRINTABLE } }),
    ApiQuery({ name: 'status', required: false, enum: MESSAGE_STATUSES }),
    ApiQuery({ name: 'template', required: false, schema: { type: 'string', minLength: 1, maxLength: 200, pattern: PRINTABLE } }),
    ApiQuery({ name: 'direction', required: false, enum: [...MESSAGE_DIRECTIONS], description: 'inbound: messages recipients sent us (STOP and other replies)' }),
    ApiQuery({ name: 'since', required: false, description: 'Inclusive', schema: { type: 'string', pattern: ISO_INSTANT } }),
    ApiQuery({ name: 'until', required: false, description: 'Exclusive', schema: { type: 'string', pattern: ISO_INSTANT } }),
    ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 20 } }),
    ApiQuery({ name: 'offset', required: false, schema: { type: 'integer', minimum: 0, maximum: MAX_OFFSET, default: 0 } }),
    ApiQuery({
      name: 'cursor',
      required: false,
      description: '`nextCursor` of the previous page (not with a non-zero offset)',
      schema: { type: 'string', maxLength: MAX_CURSOR_LENGTH, pattern: '^[A-Za-z0-9_-]+$' },
    }),
    ApiQuery({
      name: 'tenant',
      required: false,
      description: "Only this tenant's rows; needs the `messaging:admin` scope (403 FORBIDDEN otherwise)",
      schema: { type: 'string', minLength: 1, maxLength: 320, pattern: PRINTABLE },
    }),
    ApiOkResponse({ type: LogsPageModel }),
    ApiErrorResponses(ErrorCode.VALIDATION_ERROR, ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN, ...COMMON_ERROR_CODES),
  );
}

/** OpenAPI description of GET /messaging/logs/:id. */
export function ApiGetLog(): MethodDecorator {
  return applyDecorators(
    ApiOperation({ summary: 'Read one message log row' }),
    ApiParam({ name: 'id', schema: { type: 'string', pattern: '^[0-9a-fA-F]{24}$' } }),
    ApiOkResponse({ type: MessageLogModel }),
    ApiErrorResponses(ErrorCode.VALIDATION_ERROR, ErrorCode.NOT_FOUND, ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN, ...COMMON_ERROR_CODES),
  );
}
