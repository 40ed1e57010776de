import { registerDecorator, type ValidationOptions } from 'class-validator';

/**
 * Character and length rules shared by the request fields that carry text
 * (message bodies, subjects). Lengths count UTF-16 code units, which is
 * what the README documents and what Twilio counts (an emoji counts 2):
 * class-validator's MaxLength counts code points and also skips variation
 * selectors, so it let 1,600 emoji (3,200 units) through.
 */

/** The length of `value` as documented: UTF-16 code units (`String#length`). */
export function utf16Length(value: string): number {
  return value.length;
}

/** At most `max` UTF-16 code units (see the module comment for why not MaxLength). */
export function MaxUtf16Length(max: number, options?: ValidationOptions): PropertyDecorator {
  return textRule(
    'maxUtf16Length',
    (value, field) => (utf16Length(value) > max ? `${field} must be at most ${max} characters (UTF-16 code units; an emoji counts 2)` : undefined),
    options,
  );
}

/** A string with at least one visible character (not only whitespace or invisible format characters). */
export function IsNotBlank(options?: ValidationOptions): PropertyDecorator {
  return textRule('isNotBlank', (value, field) => (isBlankText(value) ? `${field} must not be blank` : undefined), options);
}

/** Message text (SMS, WhatsApp body): see messageTextProblem. */
export function IsMessageText(options?: ValidationOptions): PropertyDecorator {
  return textRule('isMessageText', messageTextProblem, options);
}

/** A header line: see headerTextProblem. */
export function IsHeaderText(options?: ValidationOptions): PropertyDecorator {
  return textRule('isHeaderText', headerTextProblem, options);
}

/*
 * Message bodies (SMS, WhatsApp): what a phone can show. Per class:
 * - C0/C1 controls and DEL: refused, except LF, CR and TAB (line breaks are
 *   part of SMS text; a tab is plain whitespace). NUL and friends only
 *   reach Twilio as garbage or get the message rejected there.
 * - Format characters (Unicode Cf: ZWSP, word joiner, BOM, soft hyphen…):
 *   refused, being invisible, except ZWJ and ZWNJ (emoji sequences and
 *   Indic/Persian shaping need them) and the tag characters U+E0020–E007F
 *   (subdivision flags such as 🏴󠁧󠁢󠁳󠁣󠁴󠁿).
 * - Bidi embeddings, overrides and isolates (U+202A–202E, U+2066–2069):
 *   refused, they can make text display in another order than it reads;
 *   the marks LRM, RLM and ALM stay allowed for mixed right-to-left text.
 * - Noncharacters (U+FDD0–FDEF, U+xFFFE/xFFFF) and the separators
 *   U+2028/U+2029: refused (send "\n" for a line break).
 * - Everything else, unassigned code points included (newer emoji than the
 *   runtime's Unicode tables), is allowed.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const BODY_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;
const BODY_FORMAT = /(?!\u200c|\u200d|\u200e|\u200f|\u061c|[\u{e0020}-\u{e007f}])\p{Cf}/u;
const LINE_SEPARATOR = /[\u2028\u2029]/u;

/** Why `value` is not acceptable message text, or undefined. */
export function messageTextProblem(value: string, field: string): string | undefined {
  if (BODY_CONTROL.test(value)) return `${field} must not contain control characters other than line breaks and tabs`;
  if (LINE_SEPARATOR.test(value)) return `${field} must not contain U+2028/U+2029; use \\n for a line break`;
  if (/[\u202a-\u202e\u2066-\u2069]/u.test(value)) return `${field} must not contain bidirectional embedding, override or isolate characters`;
  if (BODY_FORMAT.test(value)) return `${field} must not contain invisible format characters such as zero-width space (ZWJ and ZWNJ are allowed)`;
  if (hasNoncharacter(value)) return `${field} must not contain Unicode noncharacters`;
  return undefined;
}

/*
 * Header lines (Subject, and template variables that end up in it): no
 * control character at all (C0 including TAB, DEL, C1 including NEL) and no
 * U+2028/U+2029, because some clients show them as line breaks; and at
 * least one visible character, since nodemailer drops a blank Subject.
 */
const HEADER_UNSAFE = /[\p{Cc}\u2028\u2029]/u;

/** Why `value` is not acceptable as (part of) a header line, or undefined. */
export function headerTextProblem(value: string, field: string): string | undefined {
  return HEADER_UNSAFE.test(value) ? `${field} must not contain line breaks or control characters` : undefined;
}

/** True when `value` holds nothing but whitespace (or nothing). */
export function isBlankText(value: string): boolean {
  return !/[^\s\p{Cf}]/u.test(value);
}

/** U+FDD0–U+FDEF, or the last two code points of any plane (U+xFFFE, U+xFFFF). */
function hasNoncharacter(value: string): boolean {
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if ((code >= 0xfdd0 && code <= 0xfdef) || (code & 0xfffe) === 0xfffe) return true;
  }
  return false;
}

/** A class-validator decorator for a string rule; non-strings are left to IsString. */
function textRule(name: string, problemOf: (value: string, field: string) => string | undefined, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    const field = String(propertyName);
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: field,
      options,
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || problemOf(value, field) === undefined,
        defaultMessage: (args) => (typeof args?.value === 'string' ? problemOf(args.value, field) : undefined) ?? `${field} is invalid`,
      },
    });
  };
}
