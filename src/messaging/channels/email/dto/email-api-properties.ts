import { MAX_RECIPIENTS_PER_MESSAGE } from '../../../common/limits.js';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '../../../common/swagger.js';
import { MAX_ADDRESS_LENGTH } from '../email-address.js';

/**
 * OpenAPI descriptions of the email fields. They state the same rules as the
 * class-validator decorators (email-validators.ts, email-address.ts), so
 * generated clients and the contract fuzzing see the real constraints.
 */

/** A bare address: dot-atom local part, ASCII domain of two or more labels. */
const ADDRESS_SCHEMA = {
  type: 'string',
  format: 'email',
  maxLength: MAX_ADDRESS_LENGTH,
  pattern:
    "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$",
  example: 'user@example.com',
};

const RECIPIENTS_SCHEMA = {
  oneOf: [ADDRESS_SCHEMA, { type: 'array', items: ADDRESS_SCHEMA, minItems: 1, maxItems: MAX_RECIPIENTS_PER_MESSAGE }],
};

/** `to`, `cc`, `bcc`: one bare address or a non-empty list (to + cc + bcc ≤ 50). */
export function ApiRecipients(description: string, required: boolean): PropertyDecorator {
  const options: ApiPropertyOptions = { ...RECIPIENTS_SCHEMA, description: `${description}: one address or a list (to, cc and bcc together at most ${MAX_RECIPIENTS_PER_MESSAGE})` };
  return required ? ApiProperty(options) : ApiPropertyOptional(options);
}

/** `replyTo`: one bare address. */
export function ApiSingleAddress(description: string): PropertyDecorator {
  return ApiPropertyOptional({ ...ADDRESS_SCHEMA, description } as ApiPropertyOptions);
}

/** A header-safe line: no CR, LF or other control characters. */
export function ApiHeaderLine(description: string, maxLength: number, required: boolean): PropertyDecorator {
  const options: ApiPropertyOptions = { type: 'string', minLength: 1, maxLength, pattern: '^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]+$', description };
  return required ? ApiProperty(options) : ApiPropertyOptional(options);
}
