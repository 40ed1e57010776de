import { applyDecorators } from '@nestjs/common';
import { IsString, Matches } from 'class-validator';
import { ApiProperty } from '../../../common/swagger.js';
import { MESSAGE_TEXT_SCHEMA_PATTERN } from '../../../common/message-text-pattern.js';
import { IsMessageText, MaxUtf16Length } from '../../../common/text-rules.js';
import { E164_PATTERN } from '../../../common/e164.js';

export { E164_PATTERN };

/** Twilio's limit on a message body (Create Message `Body`), in UTF-16 code units. */
export const MAX_MESSAGE_BODY_LENGTH = 1600;

/** True when `value` is an E.164 phone number. */
export function isE164(value: unknown): value is string {
  return typeof value === 'string' && E164_PATTERN.test(value);
}

/** A recipient phone number in E.164 (shared by the SMS and WhatsApp requests). */
export function IsE164PhoneNumber(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: 'string', pattern: E164_PATTERN.source, example: '+14155550100', description: 'Phone number in E.164' }),
    IsString(),
    Matches(E164_PATTERN, { message: '$property must be an E.164 phone number like +14155550100' }),
  );
}

/**
 * A message body: text with at least one visible character, within Twilio's
 * length limit (UTF-16 code units), without the characters text-rules.ts
 * refuses in message text (controls other than line breaks, invisible format
 * and bidi override characters, noncharacters).
 */
export function IsMessageBody(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: 'string',
      minLength: 1,
      maxLength: MAX_MESSAGE_BODY_LENGTH,
      pattern: MESSAGE_TEXT_SCHEMA_PATTERN,
      description: 'Message text, at most 1600 UTF-16 code units; characters beyond U+FFFF (emoji) are accepted too',
    }),
    IsString(),
    Matches(/\S/, { message: '$property must not be empty' }),
    MaxUtf16Length(MAX_MESSAGE_BODY_LENGTH),
    IsMessageText(),
  );
}
