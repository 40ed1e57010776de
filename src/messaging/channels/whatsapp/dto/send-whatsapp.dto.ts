import { IsMessageCategory } from '../../../consent/message-category.decorator.js';
import type { MessageCategory } from '../../../common/consent-fields.js';
import { ApiProperty, ApiPropertyOptional } from '../../../common/swagger.js';
import { Type } from 'class-transformer';
import { IsObject, IsString, IsUrl, Matches, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { MaxUtf16Length } from '../../../common/text-rules.js';
import { IsOmittable } from '../../../errors/omittable.decorator.js';
import { IsE164PhoneNumber, IsMessageBody } from '../../sms/dto/message-fields.js';
import { IsSendAt } from '../../../queue/http/send-at.js';
import { IsPublicMediaUrl } from './media-url.js';
import { IsBodyUnlessContentSid, IsContentSid, IsContentVariables, IsNotWithContentSid } from './whatsapp-content.js';

/** Longest media URL accepted (a common limit of HTTP stacks). */
const MAX_MEDIA_URL_LENGTH = 2048;
/** `type/subtype`, optionally with parameters, as in a Content-Type header. */
const MIME_TYPE = /^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=[\w.+-]+)*$/;
/** A bare file name: no folders, no control characters. */
const FILE_NAME = /^[^\\/\p{Cc}]+$/u;

/** A media attachment, fetched by the provider from `url`. */
export class WhatsAppMediaDto {
  /** Public http(s) URL of the file: no credentials, no loopback, private or link-local host. */
  @ApiProperty({ type: 'string', format: 'uri', pattern: '^https?://', maxLength: MAX_MEDIA_URL_LENGTH, example: 'https://cdn.example.com/invoice-42.pdf', description: 'Public http(s) URL; no user:password@, no loopback, private, link-local or localhost host' })
  @IsString()
  @MaxUtf16Length(MAX_MEDIA_URL_LENGTH)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_valid_protocol: true, require_host: true },
    { message: '$property must be an http or https URL' },
  )
  @IsPublicMediaUrl()
  url!: string;

  /** MIME type of the file, e.g. `image/png`. */
  @ApiPropertyOptional({ type: 'string', maxLength: 255, pattern: MIME_TYPE.source, example: 'application/pdf' })
  @IsOmittable()
  @IsString()
  @MaxLength(255)
  @Matches(MIME_TYPE, { message: '$property must be a MIME type like image/png' })
  contentType?: string;

  /** File name shown to the recipient, e.g. `invoice.pdf`. */
  @ApiPropertyOptional({ type: 'string', maxLength: 255, pattern: '^[^\\\\/\\u0000-\\u001f\\u007f-\\u009f]+$', example: 'invoice-42.pdf' })
  @IsOmittable()
  @IsString()
  @MaxUtf16Length(255)
  @Matches(FILE_NAME, { message: '$property must be a file name without folders' })
  filename?: string;
}

/**
 * Body of POST /messaging/whatsapp: free text (`body`, optional `media`), or an approved template
 * (`contentSid`, optional `contentVariables`). The OpenAPI document shows the two as a oneOf
 * (openapi/whatsapp-body-schema.ts).
 */
export class SendWhatsAppDto {
  /** Recipient in E.164, without the `whatsapp:` prefix. */
  @IsE164PhoneNumber()
  to!: string;

  /** Message text, 1 to 1600 characters; required unless `contentSid` is given. */
  @IsBodyUnlessContentSid()
  @ValidateIf((request: SendWhatsAppDto) => request.body !== undefined || request.contentSid === undefined)
  @IsMessageBody()
  body?: string;

  /** Twilio Content SID of an approved template, in place of `body`. */
  @IsContentSid()
  contentSid?: string;

  /** The template's variables (only with `contentSid`). */
  @IsContentVariables()
  contentVariables?: Record<string, string>;

  /** Optional attachment (free text only). */
  @ApiPropertyOptional({ type: WhatsAppMediaDto })
  @IsNotWithContentSid()
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => WhatsAppMediaDto)
  media?: WhatsAppMediaDto;

  /** Schedule the message (asynchronous delivery): ISO-8601 with a zone, at most 30 days ahead. */
  @IsSendAt()
  sendAt?: string;

  /** transactional (default) or marketing: which suppressions refuse the message. */
  @IsMessageCategory()
  category?: MessageCategory;
}
