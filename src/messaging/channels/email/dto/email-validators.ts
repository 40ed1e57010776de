import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { MAX_RECIPIENTS_PER_MESSAGE } from '../../../common/limits.js';
import { addressProblem, countRecipients, recipientsProblem } from '../email-address.js';
import { headerTextProblem } from '../../../common/text-rules.js';
import { htmlTagCount, MAX_CONVERTED_TAGS } from '../../../templates/plain-text.js';

/** An address or a non-empty list of addresses; the message names the first bad entry. */
export function IsRecipients(options?: ValidationOptions): PropertyDecorator {
  return fromProblem('isRecipients', (value, field) => recipientsProblem(value, field), options);
}

/** One bare address (`replyTo`). */
export function IsSingleAddress(options?: ValidationOptions): PropertyDecorator {
  return fromProblem('isSingleAddress', (value, field) => addressProblem(value, field), options);
}

/** A string that is safe as a header value: no line breaks or other control characters (TAB and C1 included). */
export function IsHeaderSafe(options?: ValidationOptions): PropertyDecorator {
  return fromProblem('isHeaderSafe', (value, field) => (typeof value === 'string' ? headerTextProblem(value, field) : undefined), options);
}

/**
 * Put on `body`: without `text`, the HTML must be small enough to convert to
 * the text part (see plain-text.ts); checked here so that the queued path
 * refuses it too, before anything is accepted.
 */
export function IsConvertibleWithoutText(options?: ValidationOptions): PropertyDecorator {
  return fromProblem(
    'isConvertibleWithoutText',
    (value, field, object) => {
      if (typeof value !== 'string' || (object as { text?: unknown }).text !== undefined) return undefined;
      const tags = htmlTagCount(value);
      return tags > MAX_CONVERTED_TAGS
        ? `${field} has ${tags} HTML tags; the text part is generated only from HTML of at most ${MAX_CONVERTED_TAGS} tags, so send your own plain-text alternative in "text"`
        : undefined;
    },
    options,
  );
}

/** Put on `to`: to + cc + bcc together stay within MAX_RECIPIENTS_PER_MESSAGE. */
export function WithinRecipientCap(options?: ValidationOptions): PropertyDecorator {
  return fromProblem(
    'withinRecipientCap',
    (value, _field, object) => {
      const { cc, bcc } = object as { cc?: unknown; bcc?: unknown };
      const total = countRecipients(value, cc, bcc);
      return total > MAX_RECIPIENTS_PER_MESSAGE
        ? `to, cc and bcc together hold ${total} addresses; at most ${MAX_RECIPIENTS_PER_MESSAGE} are allowed per message`
        : undefined;
    },
    options,
  );
}

/** A class-validator decorator whose message is computed together with the verdict. */
export function fromProblem(
  name: string,
  problemOf: (value: unknown, field: string, object: object) => string | undefined,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    const property = String(propertyName);
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: property,
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => problemOf(value, property, args.object) === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          problemOf(args?.value, property, args?.object ?? {}) ?? `${property} is invalid`,
      },
    });
  };
}
