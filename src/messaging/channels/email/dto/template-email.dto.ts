import { IsMessageCategory } from '../../../consent/message-category.decorator.js';
import type { MessageCategory } from '../../../common/consent-fields.js';
import { IsObject, IsString, Matches } from 'class-validator';
import { IsNotBlank, MaxUtf16Length } from '../../../common/text-rules.js';
import { IsOmittable } from '../../../errors/omittable.decorator.js';
import { ApiProperty, ApiPropertyOptional } from '../../../common/swagger.js';
import { IsTemplateLocale } from '../../../templates/template-locale.js';
import { TEMPLATE_NAME_PATTERN } from '../../../templates/template-name.js';
import { ApiHeaderLine, ApiRecipients, ApiSingleAddress } from './email-api-properties.js';
import { IsSendAt } from '../../../queue/http/send-at.js';
import { IsHeaderSafe, IsRecipients, IsSingleAddress, WithinRecipientCap } from './email-validators.js';
import { MAX_SUBJECT_LENGTH } from './send-email.dto.js';
import { AttachmentsField, type EmailAttachmentDto } from './email-attachment.dto.js';

/** Body of POST /messaging/email/template/preview: what to render. */
export class PreviewTemplateDto {
  /** A plain identifier (letters, digits, `-`, `_`); never a path. */
  @ApiProperty({ type: 'string', pattern: TEMPLATE_NAME_PATTERN.source, example: 'welcome' })
  @IsString()
  @Matches(TEMPLATE_NAME_PATTERN, { message: 'template must be a plain name like "welcome" (letters, digits, - and _)' })
  template!: string;

  /** The template's variables; see GET /messaging/email/templates. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { name: 'Alice', appName: 'My App' } })
  @IsOmittable()
  @IsObject()
  data?: Record<string, unknown>;

  /** Renders the template's variant of this language (`fr-CA`, else `fr`), else its default. */
  @IsTemplateLocale()
  locale?: string;

  /** Replaces the template's subject (plain text, not a template). */
  @ApiHeaderLine("Replaces the template's subject", MAX_SUBJECT_LENGTH, false)
  @IsOmittable()
  @IsString()
  @IsNotBlank()
  @MaxUtf16Length(MAX_SUBJECT_LENGTH)
  @IsHeaderSafe()
  subject?: string;
}

/** Body of POST /messaging/email/template: what to render, and to whom. */
export class SendTemplateEmailDto extends PreviewTemplateDto {
  @ApiRecipients('Recipient(s)', true)
  @IsRecipients()
  @WithinRecipientCap()
  to!: string | string[];

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
