import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import {
  cleanFilename,
  CONTENT_ID_PATTERN,
  isStrictBase64,
  MAX_ATTACHMENT_BASE64_LENGTH,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENT_FILENAME_LENGTH,
  MAX_ATTACHMENT_HEADER_LENGTH,
  MAX_ATTACHMENTS,
  MIME_TYPE_PATTERN,
  STRICT_BASE64_PATTERN,
} from '../../../common/attachment-rules.js';
import { ApiProperty, ApiPropertyOptional } from '../../../common/swagger.js';
import { MaxUtf16Length } from '../../../common/text-rules.js';
import { IsOmittable } from '../../../errors/omittable.decorator.js';
import { fromProblem } from './email-validators.js';

/**
 * One attachment of POST /messaging/email and /email/template. The rules
 * that need the module's options (blocked extensions) or the whole list
 * (total size, 413) are checked by the service: see attachments.ts.
 */
export class EmailAttachmentDto {
  /** Shown to the recipient; folders and control characters are removed (see cleanFilename). */
  @ApiProperty({
    type: 'string',
    minLength: 1,
    maxLength: MAX_ATTACHMENT_FILENAME_LENGTH,
    example: 'invoice-42.pdf',
    description: 'File name shown to the recipient; path separators, control and bidi characters are removed; executables (.exe, .js, …) are refused',
  })
  @IsString()
  @MaxUtf16Length(MAX_ATTACHMENT_FILENAME_LENGTH)
  @HasUsableFilename()
  filename!: string;

  /** The file, base64 (RFC 4648, padded, no line breaks). */
  @ApiProperty({
    type: 'string',
    format: 'byte',
    minLength: 4,
    maxLength: MAX_ATTACHMENT_BASE64_LENGTH,
    pattern: STRICT_BASE64_PATTERN,
    example: 'JVBERi0xLjQK',
    description: `The file as base64 (padded, no line breaks); all attachments together at most ${MAX_ATTACHMENT_BYTES} bytes decoded`,
  })
  @IsString()
  @IsStrictBase64()
  content!: string;

  @ApiPropertyOptional({
    type: 'string',
    maxLength: MAX_ATTACHMENT_HEADER_LENGTH,
    pattern: MIME_TYPE_PATTERN.source,
    example: 'application/pdf',
    description: 'MIME type (type/subtype, no parameters); derived from the file name when absent',
  })
  @IsOmittable()
  @IsString()
  @MaxLength(MAX_ATTACHMENT_HEADER_LENGTH)
  @Matches(MIME_TYPE_PATTERN, { message: '$property must be a MIME type like application/pdf (type/subtype, no parameters)' })
  contentType?: string;

  @ApiPropertyOptional({
    type: 'string',
    maxLength: MAX_ATTACHMENT_HEADER_LENGTH,
    pattern: CONTENT_ID_PATTERN.source,
    example: 'logo@example.com',
    description: 'Content-ID for an inline image: the HTML shows it with <img src="cid:logo@example.com">',
  })
  @IsOmittable()
  @IsString()
  @MaxLength(MAX_ATTACHMENT_HEADER_LENGTH)
  @Matches(CONTENT_ID_PATTERN, { message: '$property must be an id like logo@example.com (no spaces or angle brackets)' })
  contentId?: string;
}

/** `attachments` of the two email send routes: a list of at most MAX_ATTACHMENTS EmailAttachmentDto. */
export function AttachmentsField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: [EmailAttachmentDto],
      maxItems: MAX_ATTACHMENTS,
      description: `Files to attach: at most ${MAX_ATTACHMENTS}, together at most ${MAX_ATTACHMENT_BYTES} bytes decoded (413 above)`,
    }),
    IsOmittable(),
    IsArray(),
    ArrayMaxSize(MAX_ATTACHMENTS, { message: `$property must hold at most ${MAX_ATTACHMENTS} files` }),
    ValidateNested({ each: true }),
    Type(() => EmailAttachmentDto),
  );
}

function IsStrictBase64(): PropertyDecorator {
  return fromProblem('isStrictBase64', (value, field) =>
    typeof value === 'string' && (value.length === 0 || !isStrictBase64(value))
      ? `${field} must be non-empty base64 (A-Z, a-z, 0-9, + and /, padded with = to a multiple of 4, no line breaks)`
      : undefined,
  );
}

function HasUsableFilename(): PropertyDecorator {
  return fromProblem('hasUsableFilename', (value, field) =>
    typeof value === 'string' && cleanFilename(value) === ''
      ? `${field} has no characters left once folders, control characters and leading or trailing dots are removed`
      : undefined,
  );
}
