import { applyDecorators } from '@nestjs/common';
import { IsString, Matches, registerDecorator, type ValidationArguments } from 'class-validator';
import { ApiPropertyOptional } from '../../../common/swagger.js';
import { IsOmittable } from '../../../errors/omittable.decorator.js';

/**
 * A WhatsApp approved template of Twilio's Content API: `contentSid` names
 * it, `contentVariables` fills its placeholders. Outside the 24-hour session
 * window WhatsApp takes nothing else (Twilio error 63016).
 */

/** A Content SID: `HX` and 32 lower-case hex digits, as Twilio writes them. */
export const CONTENT_SID_PATTERN = /^HX[0-9a-f]{32}$/;
export const MAX_CONTENT_VARIABLES = 50;
/** Longest value, in UTF-16 code units like every other length rule here. */
export const MAX_CONTENT_VARIABLE_LENGTH = 1024;

/** Why `value` is not a usable `contentVariables`, or undefined. */
export function contentVariablesProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'contentVariables must be an object of string values, like {"1":"Alice"}';
  }
  const entries = Object.entries(value);
  if (entries.length > MAX_CONTENT_VARIABLES) return `contentVariables must have at most ${MAX_CONTENT_VARIABLES} entries`;
  for (const [key, item] of entries) {
    if (typeof item !== 'string') return `contentVariables.${key} must be a string`;
    if (item.length > MAX_CONTENT_VARIABLE_LENGTH) return `contentVariables.${key} must be at most ${MAX_CONTENT_VARIABLE_LENGTH} characters (UTF-16 code units)`;
  }
  return undefined;
}

interface WhatsAppShape {
  body?: unknown;
  media?: unknown;
  contentSid?: unknown;
  contentVariables?: unknown;
}

/** A check of one field that also reads its siblings (which fields may go together). */
function fieldRule(name: string, problemOf: (value: unknown, request: WhatsAppShape) => string | undefined): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { always: true },
      validator: {
        validate: (value: unknown, args: ValidationArguments) => problemOf(value, args.object) === undefined,
        defaultMessage: (args?: ValidationArguments) => (args ? problemOf(args.value, args.object) : undefined) ?? `${name} is invalid`,
      },
    });
  };
}

/** `body`, unless `contentSid` replaces it: one of the two is required. */
export function IsBodyUnlessContentSid(): PropertyDecorator {
  return fieldRule('bodyOrContentSid', (value, request) =>
    value === undefined && request.contentSid === undefined ? 'body is required, or contentSid (an approved template) in its place' : undefined,
  );
}

/** `contentSid`: the approved template, instead of `body` and `media`. */
export function IsContentSid(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'string',
      pattern: CONTENT_SID_PATTERN.source,
      example: 'HXb5b62575e6e4ff6129ad7c8efe1f983e',
      description: 'Twilio Content SID of an approved WhatsApp template, instead of `body` (and `media`)',
    }),
    IsOmittable(),
    IsString(),
    Matches(CONTENT_SID_PATTERN, { message: 'contentSid must be a Twilio Content SID: HX and 32 lower-case hex digits' }),
    fieldRule('contentSidAlone', (value, request) =>
      value !== undefined && request.body !== undefined ? 'contentSid replaces body: send one of the two, not both' : undefined,
    ),
  );
}

/** `media` goes with a free-text body only: an approved template carries its own media. */
export function IsNotWithContentSid(): PropertyDecorator {
  return fieldRule('mediaWithoutContentSid', (value, request) =>
    value !== undefined && request.contentSid !== undefined ? 'media goes with body only; an approved template (contentSid) brings its own media' : undefined,
  );
}

/** `contentVariables`: at most 50 string values of at most 1,024 characters, only with `contentSid`. */
export function IsContentVariables(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'object',
      maxProperties: MAX_CONTENT_VARIABLES,
      // The document promises characters of the Basic Multilingual Plane, whose length is the same in
      // code points and UTF-16 units; the API also takes others, counted as two units each.
      additionalProperties: { type: 'string', maxLength: MAX_CONTENT_VARIABLE_LENGTH, pattern: '^[\\u0000-\\ud7ff\\ue000-\\uffff]*$' },
      example: { '1': 'Alice', '2': '12 March, 10:30' },
      description: `Values of the template's placeholders, sent as Twilio's ContentVariables; at most ${MAX_CONTENT_VARIABLES} entries, each value at most ${MAX_CONTENT_VARIABLE_LENGTH} characters. Only with contentSid`,
    }),
    fieldRule('contentVariables', (value, request) => {
      if (value === undefined) return undefined;
      if (request.contentSid === undefined) return 'contentVariables go with contentSid (an approved template) only';
      return contentVariablesProblem(value);
    }),
  );
}
