import { IsMessageCategory } from '../../../consent/message-category.decorator.js';
import type { MessageCategory } from '../../../common/consent-fields.js';
import { IsObject, IsString, Matches } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '../../../common/swagger.js';
import { IsOmittable } from '../../../errors/omittable.decorator.js';
import { IsSendAt } from '../../../queue/http/send-at.js';
import { IsTemplateLocale } from '../../../templates/template-locale.js';
import { TEMPLATE_NAME_PATTERN } from '../../../templates/template-name.js';
import { IsE164PhoneNumber } from './message-fields.js';

/** Body of POST /messaging/sms/template/preview: what to render (templates/<name>/sms.hbs). */
export class PreviewSmsTemplateDto {
  /** A plain identifier (letters, digits, `-`, `_`); never a path. */
  @ApiProperty({ type: 'string', pattern: TEMPLATE_NAME_PATTERN.source, example: 'verification-code' })
  @IsString()
  @Matches(TEMPLATE_NAME_PATTERN, { message: 'template must be a plain name like "verification-code" (letters, digits, - and _)' })
  template!: string;

  /** The template's variables; see GET /messaging/email/templates. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { code: '123456', appName: 'My App' } })
  @IsOmittable()
  @IsObject()
  data?: Record<string, unknown>;

  /** Renders the template's variant of this language (`fr-CA`, else `fr`), else its default. */
  @IsTemplateLocale()
  locale?: string;
}

/** Body of POST /messaging/sms/template: what to render, and to whom. */
export class SendSmsTemplateDto extends PreviewSmsTemplateDto {
  /** Recipient in E.164, e.g. `+14155550100`. */
  @IsE164PhoneNumber()
  to!: string;

  /** Schedule the message (asynchronous delivery): ISO-8601 with a zone, at most 30 days ahead. */
  @IsSendAt()
  sendAt?: string;

  /** transactional (default) or marketing: which suppressions refuse the message. */
  @IsMessageCategory()
  category?: MessageCategory;
}
