import type { OpenAPIObject } from '@nestjs/swagger';
import type { SchemaObject } from './openapi-types.js';
import { MESSAGE_TEXT_PART_SCHEMA_PATTERN, MESSAGE_TEXT_SCHEMA_PATTERN } from '../common/message-text-pattern.js';
import { MAX_VARIABLE_LENGTH } from '../templates/template-data.js';
import type { TemplateVariable } from '../templates/template-manifest.js';
import type { TemplateChannel, TemplateSummary, TextChannel } from '../templates/template-renderer.js';

/**
 * The request bodies that carry a template's `data`, documented per template:
 * a template declares its variables, and templates/template-data.ts refuses a
 * missing required one, a value of the wrong type and an undeclared key (a
 * typo would otherwise vanish silently). A single `data: object` would promise
 * bodies the API refuses, so each body becomes a `oneOf` with one branch per
 * template: `template` fixed to its name and `data` holding exactly its
 * variables. The rules below mirror checkValue() and isBlank() there.
 */
export const TEMPLATE_BODY_SCHEMAS: Readonly<Record<string, TemplateChannel>> = {
  PreviewTemplateDto: 'email',
  SendTemplateEmailDto: 'email',
  PreviewSmsTemplateDto: 'sms',
  SendSmsTemplateDto: 'sms',
  SendWhatsAppTemplateDto: 'whatsapp',
};

const NO_VARIABLES: ReadonlySet<string> = new Set();

/** Characters String.prototype.trim() removes: a value made only of them is blank. */
const JS_WHITESPACE = '\\t\\n\\u000b\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
/** What a variable used in the Subject must not hold: common/text-rules.ts's header rule (\\p{Cc}, U+2028/9). */
const HEADER_UNSAFE = '\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029';
/** Only trimmed-away characters: treated as absent. */
const BLANK = `^[${JS_WHITESPACE}]*$`;
/**
 * An absolute http(s) URL that the WHATWG parser accepts: a host whose last label starts with a
 * letter (an all-digit one would be read as an IPv4 address), an optional port, then printable
 * ASCII. The API accepts a few more (any host the parser takes); none of these is refused.
 */
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HTTP_URL = `^https?://(?:${LABEL}\\.)*[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?::[0-9]{1,4})?(?:[/?#][!-~]*)?$`;

/**
 * How a body's channel constrains a variable beyond its type: a Subject refuses line breaks; an SMS or
 * WhatsApp text refuses what a message body refuses and must fit 1,600 units (`maxLength`).
 */
interface VariableContext {
  inSubject: boolean;
  text?: { maxLength: number };
}

function stringSchema(variable: TemplateVariable, { inSubject, text: inText }: VariableContext): SchemaObject {
  if (inText) {
    const pattern = variable.required ? MESSAGE_TEXT_SCHEMA_PATTERN : MESSAGE_TEXT_PART_SCHEMA_PATTERN;
    return { type: 'string', maxLength: inText.maxLength, pattern };
  }
  const text: SchemaObject = { type: 'string', maxLength: MAX_VARIABLE_LENGTH };
  // Required: something besides whitespace; in the Subject: no control character, anywhere.
  if (variable.required && inSubject) {
    text.pattern = `^[^${HEADER_UNSAFE}]*[^${HEADER_UNSAFE}${JS_WHITESPACE}][^${HEADER_UNSAFE}]*$`;
  } else if (variable.required) {
    text.pattern = `[^${JS_WHITESPACE}]`;
  } else if (inSubject) {
    text.pattern = `^[^${HEADER_UNSAFE}]*$`;
  }
  return text;
}

/** Whole or not as declared, within the declared bounds, else within ±(2^53 − 1) (checkValue's numberProblem). */
function numberSchema(variable: TemplateVariable): SchemaObject {
  return {
    type: variable.integer ? 'integer' : 'number',
    minimum: variable.min ?? -Number.MAX_SAFE_INTEGER,
    maximum: variable.max ?? Number.MAX_SAFE_INTEGER,
  };
}

function variableSchema(variable: TemplateVariable, where: VariableContext): SchemaObject {
  // An optional variable may be null or blank: it is then left out of the mail. `nullable` is
  // put where a `type` is (OpenAPI 3.0 ignores it elsewhere).
  const nullable = (schema: SchemaObject): SchemaObject => (variable.required ? schema : { ...schema, nullable: true });
  const described = (schema: SchemaObject): SchemaObject => ({
    ...(schema.anyOf ? { anyOf: [nullable(schema.anyOf[0] as SchemaObject), ...schema.anyOf.slice(1)] } : nullable(schema)),
    ...(variable.description ? { description: variable.description } : {}),
  });
  switch (variable.type) {
    case 'number':
      return described(numberSchema(variable));
    case 'url': {
      const url: SchemaObject = { type: 'string', maxLength: where.text?.maxLength ?? MAX_VARIABLE_LENGTH, pattern: HTTP_URL };
      return described(variable.required ? url : { anyOf: [url, { type: 'string', pattern: BLANK }] });
    }
    case 'string':
      return described(stringSchema(variable, where));
  }
}

/** `data` of one template: exactly its variables, the required ones required. */
export function templateDataSchema(template: TemplateSummary, subjectVariables: ReadonlySet<string>, text?: { maxLength: number }): SchemaObject {
  const required = template.variables.filter((v) => v.required).map((v) => v.name);
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(
      template.variables.map((v) => [v.name, variableSchema(v, { inSubject: subjectVariables.has(v.name), ...(text ? { text } : {}) })]),
    ),
    ...(required.length > 0 ? { required } : {}),
  };
}

/**
 * Rewrites the template bodies of `document` (in place) into one branch per template that renders for
 * the body's channel. Without such templates a body is left as it is: every request then gets
 * TEMPLATE_NOT_FOUND.
 */
export function documentTemplateData(
  document: OpenAPIObject,
  templates: readonly TemplateSummary[],
  subjectVariables: (template: string) => ReadonlySet<string>,
  textVariableLimit: (template: string, channel: TextChannel) => number | undefined = () => undefined,
): void {
  const schemas = document.components?.schemas ?? {};
  for (const [name, channel] of Object.entries(TEMPLATE_BODY_SCHEMAS)) {
    const body = schemas[name] as SchemaObject | undefined;
    const rendering = templates.filter((template) => template.channels.includes(channel));
    if (!body?.properties || rendering.length === 0) continue;
    const branches = rendering.map((template): SchemaObject => {
      // Only an email has a Subject, whose variables refuse line breaks.
      const limit = channel === 'email' ? undefined : textVariableLimit(template.name, channel);
      const data =
        channel === 'email'
          ? templateDataSchema(template, subjectVariables(template.name))
          : templateDataSchema(template, NO_VARIABLES, { maxLength: limit ?? MAX_VARIABLE_LENGTH });
      const needsData = (data.required ?? []).length > 0;
      return {
        ...body,
        title: `${name} (${template.name})`,
        properties: { ...body.properties, template: { type: 'string', enum: [template.name] }, data },
        required: [...new Set([...(body.required ?? []), ...(needsData ? ['data'] : [])])],
      };
    });
    schemas[name] = { description: body.description, oneOf: branches };
  }
}
