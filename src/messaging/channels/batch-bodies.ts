import { MAX_BATCH_MESSAGES } from '../common/batch-limits.js';
import { ApiProperty } from '../common/swagger.js';
import { SendEmailDto } from './email/dto/send-email.dto.js';
import { SendTemplateEmailDto } from './email/dto/template-email.dto.js';
import { SendSmsDto } from './sms/dto/send-sms.dto.js';
import { SendWhatsAppDto } from './whatsapp/dto/send-whatsapp.dto.js';

// The request bodies of the batch routes, for the OpenAPI document only: the batch is read and each
// message validated with its single route's DTO by batch-request.ts.

const MESSAGES = {
  minItems: 1,
  maxItems: MAX_BATCH_MESSAGES,
  description: `1 to ${MAX_BATCH_MESSAGES} messages, each exactly the body of the single route; each is validated on its own`,
};

export class EmailBatchBody {
  @ApiProperty({ ...MESSAGES, type: [SendEmailDto] })
  messages!: SendEmailDto[];
}

export class TemplateEmailBatchBody {
  @ApiProperty({ ...MESSAGES, type: [SendTemplateEmailDto] })
  messages!: SendTemplateEmailDto[];
}

export class SmsBatchBody {
  @ApiProperty({ ...MESSAGES, type: [SendSmsDto] })
  messages!: SendSmsDto[];
}

export class WhatsAppBatchBody {
  @ApiProperty({ ...MESSAGES, type: [SendWhatsAppDto] })
  messages!: SendWhatsAppDto[];
}
