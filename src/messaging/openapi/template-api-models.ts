import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '../common/swagger.js';
import { EmailSentModel, SmsSentModel, WhatsAppSentModel } from './api-models.js';

/** Answers of the template routes (email, SMS and WhatsApp text templates), for the OpenAPI document. */

/** `locale` of a template answer: the variant that rendered, null for the default. */
const RENDERED_LOCALE: ApiPropertyOptions = {
  type: 'string',
  nullable: true,
  example: 'fr',
  description: 'The locale variant that rendered (`fr` for a request of `fr-CA` without an `fr-CA` variant); null for the default',
};

export class TemplateEmailSentModel extends EmailSentModel {
  @ApiProperty({ example: 'welcome' })
  template!: string;

  @ApiProperty(RENDERED_LOCALE)
  locale!: string | null;
}

export class TemplatePreviewModel {
  @ApiProperty({ example: 'welcome' })
  template!: string;

  @ApiProperty(RENDERED_LOCALE)
  locale!: string | null;

  @ApiProperty()
  subject!: string;

  @ApiProperty({ description: 'The complete HTML part' })
  html!: string;

  @ApiProperty({ description: 'The plain-text part' })
  text!: string;
}

export class TemplateVariableModel {
  @ApiProperty({ example: 'name' })
  name!: string;

  @ApiProperty({ enum: ['string', 'url', 'number'] })
  type!: string;

  @ApiProperty()
  required!: boolean;

  @ApiPropertyOptional()
  description?: string;

  @ApiPropertyOptional({ description: 'Number variables: the smallest value accepted' })
  min?: number;

  @ApiPropertyOptional({ description: 'Number variables: the largest value accepted' })
  max?: number;

  @ApiPropertyOptional({ description: 'Number variables: whole numbers only' })
  integer?: boolean;
}

export class TemplateSummaryModel {
  @ApiProperty({ example: 'welcome' })
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: ['email', 'sms', 'whatsapp'] },
    description: 'What it renders: email (html.hbs), sms (sms.hbs), whatsapp (whatsapp.hbs or sms.hbs)',
  })
  channels!: string[];

  @ApiProperty({ type: [String], example: ['es', 'fr'], description: 'Its locale variants (templates/<name>/<locale>/), sorted' })
  locales!: string[];

  @ApiProperty({ type: [TemplateVariableModel] })
  variables!: TemplateVariableModel[];
}

export class TemplateListModel {
  @ApiProperty({ type: [TemplateSummaryModel] })
  templates!: TemplateSummaryModel[];
}

export class SmsTemplateSentModel extends SmsSentModel {
  @ApiProperty({ example: 'verification-code' })
  template!: string;

  @ApiProperty(RENDERED_LOCALE)
  locale!: string | null;
}

export class SmsTemplatePreviewModel {
  @ApiProperty({ example: 'verification-code' })
  template!: string;

  @ApiProperty(RENDERED_LOCALE)
  locale!: string | null;

  @ApiProperty({ description: 'The text as it would be sent' })
  text!: string;

  @ApiProperty({ enum: ['GSM-7', 'UCS-2'], description: 'GSM-7 when every character is in the GSM 03.38 tables, else UCS-2' })
  encoding!: string;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'Parts billed: one up to 160 GSM-7 septets (extension-table characters count two) or 70 UCS-2 units, else 153 or 67 per part',
  })
  segments!: number;
}

export class WhatsAppTemplateSentModel extends WhatsAppSentModel {
  @ApiProperty({ example: 'verification-code' })
  template!: string;

  @ApiProperty(RENDERED_LOCALE)
  locale!: string | null;
}
