import { IsMessageCategory } from '../../../consent/message-category.decorator.js';
import type { MessageCategory } from '../../../common/consent-fields.js';
import { IsNotEmpty, IsString } from 'class-validator';
import { IsNotBlank, MaxUtf16Length } from '../../../common/text-rules.js';
import { IsOmittable } from '../../../errors/omittable.decorator.js';
import { ApiProperty, ApiPropertyOptional } from '../../../common/swagger.js';
import { ApiHeaderLine, ApiRecipients, ApiSingleAddress } from './email-api-properties.js';
import { IsSendAt } from '../../../queue/http/send-at.js';
import { IsConvertibleWithoutText, IsHeaderSafe, IsRecipients, IsSingleAddress, WithinRecipientCap } from './email-validators.js';
import { MAX_CONVERTED_TAGS } from '../../../templates/plain-text.js';
import { AttachmentsField, type EmailAttachmentDto } from './email-attachment.dto.js';

/** Longest accepted Subject; RFC 5322 caps a header line at 998 characters. */
export const MAX_SUBJECT_LENGTH = 998;

/** Body of POST /messaging/email (the seed's fields, and `sendAt`). */
export class SendEmailDto {
  /** Recipient address, or a list of them. */
  @ApiRecipients('Recipient(s)', true)
  @IsRecipients()
  @WithinRecipientCap()
  to!: string | string[];

  @ApiHeaderLine('Subject line', MAX_SUBJECT_LENGTH, true)
  @IsString()
  @IsNotBlank()
  @MaxUtf16Length(MAX_SUBJECT_LENGTH)
  @IsHeaderSafe()
  subject!: string;

  /** HTML body; without `text`, at most MAX_CONVERTED_TAGS tags (the text part is generated from it). */
  @ApiProperty({ type: 'string', minLength: 1, description: `HTML body; without text, at most ${MAX_CONVERTED_TAGS} tags` })
  @IsString()
  @IsNotEmpty()
  @IsConvertibleWithoutText()
  body!: string;

  /** Plain-text alternative; generated from `body` when absent. */
  @ApiPropertyOptional({ type: 'string', minLength: 1, description: 'Plain-text alternative; generated from body when absent' })
  @IsOmittable()
  @IsString()
  @IsNotEmpty()
  text?: string;

  @ApiRecipients('Cc recipient(s)', false)
  @IsOmittable()
  @IsRecipients()
  cc?: string | string[];

  @ApiRecipients('Bcc recipient(s), in the SMTP envelope only', false)
  @IsOmittable()
  @IsRecipients()
  bcc?: string | string[];

  @ApiSingleAddress('Reply-To address')
  @IsOmittable()
  @IsSingleAddress()
  replyTo?: string;

  @AttachmentsField()
  attachments?: EmailAttachmentDto[];

  /** Schedule the message (asynchronous delivery): ISO-8601 with a zone, at most 30 days ahead. */
  @IsSendAt()
  sendAt?: string;

  /** transactional (default) or marketing: which suppressions refuse the message. */
  @IsMessageCategory()
  category?: MessageCategory;
}
