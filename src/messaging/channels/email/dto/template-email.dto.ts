import { IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { TEMPLATE_NAME_PATTERN } from '../../../templates/template-name.js';
import { IsHeaderSafe, IsRecipients, IsSingleAddress, WithinRecipientCap } from './email-validators.js';
import { MAX_SUBJECT_LENGTH } from './send-email.dto.js';

/** Body of POST /messaging/email/template/preview: what to render. */
export class PreviewTemplateDto {
  /** A plain identifier (letters, digits, `-`, `_`); never a path. */
  @IsString()
  @Matches(TEMPLATE_NAME_PATTERN, { message: 'template must be a plain name like "welcome" (letters, digits, - and _)' })
  template!: string;

  /** The template's variables; see GET /messaging/email/templates. */
  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;

  /** Replaces the template's subject (plain text, not a template). */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_SUBJECT_LENGTH)
  @IsHeaderSafe()
  subject?: string;
}

/** Body of POST /messaging/email/template: what to render, and to whom. */
export class SendTemplateEmailDto extends PreviewTemplateDto {
  @IsRecipients()
  @WithinRecipientCap()
  to!: string | string[];

  @IsOptional()
  @IsRecipients()
  cc?: string | string[];

  @IsOptional()
  @IsRecipients()
  bcc?: string | string[];

  @IsOptional()
  @IsSingleAddress()
  replyTo?: string;
}
