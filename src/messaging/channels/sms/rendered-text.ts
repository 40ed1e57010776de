import { ValidationError } from '../../errors/messaging.errors.js';
import { isBlankText, messageTextProblem } from '../../common/text-rules.js';
import { MAX_MESSAGE_BODY_LENGTH } from './dto/message-fields.js';

/**
 * A rendered SMS or WhatsApp text must pass the rules a `body` sent as it is passes (data may hold a
 * control character, or make the text too long): otherwise 400, naming `data`, before anything is sent.
 */
export function checkRenderedText(template: string, text: string): string {
  const subject = `the text rendered from template "${template}"`;
  const problem = isBlankText(text)
    ? `${subject} is empty`
    : text.length > MAX_MESSAGE_BODY_LENGTH
      ? `${subject} is ${text.length} characters; SMS and WhatsApp take at most ${MAX_MESSAGE_BODY_LENGTH} (UTF-16 code units)`
      : messageTextProblem(text, subject);
  if (problem === undefined) return text;
  throw ValidationError.listing(`The text rendered from template "${template}" cannot be sent`, [{ field: 'data', errors: [problem] }]);
}
