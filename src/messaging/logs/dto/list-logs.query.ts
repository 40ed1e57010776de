import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { CHANNELS, MESSAGE_STATUSES, type MessageChannel, type MessageStatus } from '../message-log.schema.js';
import { MAX_CURSOR_LENGTH, MAX_LIMIT, MAX_OFFSET } from '../../common/limits.js';
import { IsIsoInstant } from './iso-instant.js';
import { MESSAGE_DIRECTIONS, type MessageDirection } from '../../common/consent-fields.js';

export const DEFAULT_LIMIT = 20;

/** No control characters (CR/LF, NUL…): recipients and template names never hold them. */
const PRINTABLE = /^[^\p{Cc}]+$/u;

/**
 * `"20"` → 20. Anything that is not a plain run of digits is left as it is,
 * so @IsInt rejects `1.5`, `1e2`, `-1`, `abc`, and repeated keys (arrays).
 */
function toInteger({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
}

/**
 * Query of GET /messaging/logs. Every value must be a plain string: a
 * repeated key (an array) or a bracketed key (`to[$ne]=x`, which Fastify
 * keeps as the literal key "to[$ne]") is refused, as is any unknown key.
 */
export class ListLogsQueryDto {
  /** email, sms or whatsapp. */
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: MessageChannel;

  /** A recipient address or number; matches a row whose `to` is it, or a list holding it. */
  @IsOptional()
  @IsString()
  @Length(1, 320)
  @Matches(PRINTABLE, { message: '$property must not contain control characters' })
  to?: string;

  /** pending, sent, failed, queued, scheduled or cancelled. */
  @IsOptional()
  @IsIn(MESSAGE_STATUSES)
  status?: MessageStatus;

  /** Template name, for messages rendered from a template. */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(PRINTABLE, { message: '$property must not contain control characters' })
  template?: string;

  /** inbound (messages recipients sent us) or outbound (ours). */
  @IsOptional()
  @IsIn(MESSAGE_DIRECTIONS)
  direction?: MessageDirection;

  /** Rows created at or after this instant (ISO-8601). */
  @IsOptional()
  @IsIsoInstant()
  since?: string;

  /** Rows created before this instant (ISO-8601, exclusive). */
  @IsOptional()
  @IsIsoInstant()
  until?: string;

  /** Page size, 1 to 100; default 20. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit?: number;

  /** Rows to skip, 0 to 1,000,000; default 0. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET, { message: `$property must not be greater than $constraint1 (page deeper with cursor)` })
  offset?: number;

  /**
   * Only this tenant's rows. Needs `messaging:admin` (the API answers 403
   * FORBIDDEN otherwise: every other caller sees its own tenant only).
   */
  @IsOptional()
  @IsString()
  @Length(1, 320)
  @Matches(PRINTABLE, { message: '$property must not contain control characters' })
  tenant?: string;

  /** `nextCursor` of the previous page: the page after it. */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CURSOR_LENGTH)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: '$property must be a nextCursor value from a previous page' })
  cursor?: string;
}

/** Every key GET /messaging/logs accepts; any other is refused (see KnownQueryKeysInterceptor). */
export const LIST_LOGS_QUERY_KEYS = [
  'channel',
  'to',
  'status',
  'template',
  'direction',
  'since',
  'until',
  'limit',
  'offset',
  'cursor',
  'tenant',
] as const satisfies readonly (keyof ListLogsQueryDto)[];
