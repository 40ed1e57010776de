import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { CHANNEL_NAMES, type ChannelName } from '../common/channel-names.js';
import { SUPPRESSION_REASONS, SUPPRESSION_SCOPES, type SuppressionReason, type SuppressionScope } from '../common/consent-fields.js';
import { ApiProperty, ApiPropertyOptional } from '../common/swagger.js';
import { IsOmittable } from '../errors/omittable.decorator.js';

/** Longest address accepted: an email address is at most 320 characters (and a number far less). */
export const MAX_SUPPRESSION_ADDRESS_LENGTH = 320;
export const MAX_SUPPRESSION_PAGE = 100;
export const DEFAULT_SUPPRESSION_PAGE = 50;
/** Printable text, no control characters. */
export const PRINTABLE = /^[^\p{Cc}]+$/u;
export const PRINTABLE_SCHEMA = '^[^\\u0000-\\u001f\\u007f-\\u009f]+$';
/** A page cursor is the last entry's id. */
export const SUPPRESSION_CURSOR = /^[0-9a-f]{24}$/;

const ADDRESS_DESCRIPTION = 'An email address (compared lower-cased) or an E.164 number (a whatsapp: prefix is removed)';

/** Body of POST /messaging/suppressions. */
export class CreateSuppressionDto {
  @ApiProperty({ type: 'string', enum: [...CHANNEL_NAMES] })
  @IsIn(CHANNEL_NAMES)
  channel!: ChannelName;

  @ApiProperty({ type: 'string', minLength: 1, maxLength: MAX_SUPPRESSION_ADDRESS_LENGTH, pattern: PRINTABLE_SCHEMA, description: ADDRESS_DESCRIPTION })
  @IsString()
  @Length(1, MAX_SUPPRESSION_ADDRESS_LENGTH)
  @Matches(PRINTABLE, { message: '$property must not contain control characters' })
  address!: string;

  @ApiPropertyOptional({ type: 'string', enum: [...SUPPRESSION_SCOPES], default: 'all' })
  @IsOmittable()
  @IsIn(SUPPRESSION_SCOPES)
  scope?: SuppressionScope;

  @ApiPropertyOptional({ type: 'string', enum: [...SUPPRESSION_REASONS], default: 'manual' })
  @IsOmittable()
  @IsIn(SUPPRESSION_REASONS)
  reason?: SuppressionReason;
}

function toInteger({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
}

/** Query of GET /messaging/suppressions. */
export class ListSuppressionsQueryDto {
  @IsOptional()
  @IsIn(CHANNEL_NAMES)
  channel?: ChannelName;

  @IsOptional()
  @IsString()
  @Length(1, MAX_SUPPRESSION_ADDRESS_LENGTH)
  @Matches(PRINTABLE, { message: '$property must not contain control characters' })
  address?: string;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_SUPPRESSION_PAGE)
  limit?: number;

  @IsOptional()
  @IsString()
  @Matches(SUPPRESSION_CURSOR, { message: '$property must be a nextCursor value from a previous page' })
  cursor?: string;
}

export const LIST_SUPPRESSIONS_QUERY_KEYS = ['channel', 'address', 'limit', 'cursor'] as const satisfies readonly (keyof ListSuppressionsQueryDto)[];

/** Path of DELETE /messaging/suppressions/:channel/:address. */
export class SuppressionParamsDto {
  @IsIn(CHANNEL_NAMES)
  channel!: ChannelName;

  @IsString()
  @Length(1, MAX_SUPPRESSION_ADDRESS_LENGTH)
  @Matches(PRINTABLE, { message: '$property must not contain control characters' })
  address!: string;
}

/** Query of DELETE /messaging/suppressions/:channel/:address: without scope, both scopes go. */
export class DeleteSuppressionQueryDto {
  @IsOptional()
  @IsIn(SUPPRESSION_SCOPES)
  scope?: SuppressionScope;
}
