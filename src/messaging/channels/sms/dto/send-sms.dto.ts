import { IsMessageCategory } from '../../../consent/message-category.decorator.js';
import type { MessageCategory } from '../../../common/consent-fields.js';
import { IsSendAt } from '../../../queue/http/send-at.js';
import { IsE164PhoneNumber, IsMessageBody } from './message-fields.js';

/** Body of POST /messaging/sms. */
export class SendSmsDto {
  /** Recipient in E.164, e.g. `+14155550100`. */
  @IsE164PhoneNumber()
  to!: string;

  /** Message text, 1 to 1600 characters. */
  @IsMessageBody()
  body!: string;

  /** Schedule the message (asynchronous delivery): ISO-8601 with a zone, at most 30 days ahead. */
  @IsSendAt()
  sendAt?: string;

  /** transactional (default) or marketing: which suppressions refuse the message. */
  @IsMessageCategory()
  category?: MessageCategory;
}
