import { SendSmsTemplateDto } from '../../sms/dto/text-template.dto.js';

/**
 * Body of POST /messaging/whatsapp/template: the same fields as an SMS template send, rendered from
 * templates/<name>/whatsapp.hbs, else sms.hbs. A class of its own so the OpenAPI document lists the
 * templates that have a WhatsApp text for this route.
 */
export class SendWhatsAppTemplateDto extends SendSmsTemplateDto {}
