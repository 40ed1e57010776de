import { isTemplateName } from './template-name.js';

/**
 * `string`: text (a JSON string only). `url`: an absolute http(s) URL (links
 * and buttons never get `javascript:` or `data:`). `number`: a finite
 * number, within `min`/`max` when declared, else within ±(2^53 − 1) so it
 * never prints in exponent form; a whole number when `integer` is true.
 */
export const VARIABLE_TYPES = ['string', 'url', 'number'] as const;
export type VariableType = (typeof VARIABLE_TYPES)[number];

/** One piece of data a template uses, as declared in its template.json. */
export interface TemplateVariable {
  name: string;
  type: VariableType;
  /** A required variable missing from `data` is a 400 VALIDATION_ERROR naming it. */
  required: boolean;
  description?: string;
  /** Number variables only: the smallest value accepted. */
  min?: number;
  /** Number variables only: the largest value accepted. */
  max?: number;
  /** Number variables only: true to accept whole numbers only. */
  integer?: boolean;
}

/** A template's template.json, checked. */
export interface TemplateManifest {
  description: string;
  /** Handlebars source of the Subject (one line; not HTML-escaped, it is a header); email templates (html.hbs) only. */
  subject?: string;
  /** Handlebars source of the preheader: the preview line inbox lists show after the subject. */
  preheader?: string;
  /** File name (without .hbs) in layouts/; `default` when unset. */
  layout: string;
  variables: TemplateVariable[];
}

/** Names the renderer itself gives the layout; no template may declare them. */
export const LAYOUT_VARIABLES: ReadonlySet<string> = new Set(['subject', 'preheader', 'body']);

/** template.json, or a template file, is not usable; the message names the file. */
export class TemplateDefinitionError extends Error {
  constructor(where: string, problem: string) {
    super(`Template ${where}: ${problem}`);
    this.name = 'TemplateDefinitionError';
  }
}

/** Checks a parsed template.json; throws TemplateDefinitionError naming `where` and the problem. */
export function parseManifest(json: unknown, where: string): TemplateManifest {
  if (!isPlainObject(json)) throw new TemplateDefinitionError(where, 'must hold a JSON object');
  const fail = (problem: string): never => {
    throw new TemplateDefinitionError(where, problem);
  };
  const { description, subject, preheader, layout = 'default', variables = {} } = json;
  if (typeof description !== 'string') fail('"description" must be a string');
  checkEmailTexts(subject, preheader, fail);
  if (typeof layout !== 'string' || !isTemplateName(layout)) fail('"layout" must be the name of a file in layouts/');
  if (!isPlainObject(variables)) fail('"variables" must be an object of name -> {type, required, description}');
  const known = new Set(['description', 'subject', 'preheader', 'layout', 'variables']);
  const unknown = Object.keys(json).filter((key) => !known.has(key));
  if (unknown.length > 0) fail(`unknown field(s) ${unknown.join(', ')}`);
  return {
    description: description as string,
    ...(subject === undefined ? {} : { subject: (subject as string).trim() }),
    ...(preheader === undefined ? {} : { preheader: preheader as string }),
    layout: layout as string,
    variables: Object.entries(variables as Record<string, unknown>).map(([name, spec]) => parseVariable(name, spec, fail)),
  };
}

/** `subject` (optional: only email templates have one) and `preheader`, as template.json may hold them. */
function checkEmailTexts(subject: unknown, preheader: unknown, fail: (problem: string) => never): void {
  if (subject !== undefined && (typeof subject !== 'string' || subject.trim() === '')) fail('"subject" must be a non-empty string');
  if (typeof subject === 'string' && /[\r\n]/.test(subject)) fail('"subject" must be one line');
  if (preheader !== undefined && typeof preheader !== 'string') fail('"preheader" must be a string');
}

/** What a locale variant's template.json may hold: its own subject, preheader and layout (the variables are the template's). */
export interface LocaleManifest {
  subject?: string;
  preheader?: string;
  layout?: string;
}

/** Checks a locale variant's template.json (`<name>/<locale>/template.json`). */
export function parseLocaleManifest(json: unknown, where: string): LocaleManifest {
  if (!isPlainObject(json)) throw new TemplateDefinitionError(where, 'must hold a JSON object');
  const fail = (problem: string): never => {
    throw new TemplateDefinitionError(where, problem);
  };
  const { subject, preheader, layout } = json;
  checkEmailTexts(subject, preheader, fail);
  if (layout !== undefined && (typeof layout !== 'string' || !isTemplateName(layout))) fail('"layout" must be the name of a file in layouts/');
  const unknown = Object.keys(json).filter((key) => !['subject', 'preheader', 'layout'].includes(key));
  if (unknown.length > 0) fail(`unknown field(s) ${unknown.join(', ')} (a locale variant has only subject, preheader and layout; variables are the template's)`);
  return {
    ...(typeof subject === 'string' ? { subject: subject.trim() } : {}),
    ...(typeof preheader === 'string' ? { preheader } : {}),
    ...(typeof layout === 'string' ? { layout } : {}),
  };
}

function parseVariable(name: string, spec: unknown, fail: (problem: string) => never): TemplateVariable {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) fail(`variable "${name}" must be a plain identifier`);
  if (LAYOUT_VARIABLES.has(name)) fail(`variable "${name}" is reserved for the layout`);
  if (!isPlainObject(spec)) return fail(`variable "${name}" must be an object {type, required, description}`);
  const { type = 'string', required = false, description, min, max, integer } = spec;
  if (!VARIABLE_TYPES.includes(type as VariableType)) fail(`variable "${name}": type must be one of ${VARIABLE_TYPES.join(', ')}`);
  if (typeof required !== 'boolean') fail(`variable "${name}": required must be true or false`);
  if (description !== undefined && typeof description !== 'string') fail(`variable "${name}": description must be a string`);
  const known = new Set(['type', 'required', 'description', 'min', 'max', 'integer']);
  const unknown = Object.keys(spec).filter((key) => !known.has(key));
  if (unknown.length > 0) fail(`variable "${name}": unknown field(s) ${unknown.join(', ')}`);
  return {
    name,
    type: type as VariableType,
    required: required,
    ...(description === undefined ? {} : { description: description }),
    ...parseBounds(name, type as VariableType, { min, max, integer }, fail),
  };
}

/** `min`, `max` and `integer` of a number variable, checked. */
function parseBounds(
  name: string,
  type: VariableType,
  bounds: Record<'min' | 'max' | 'integer', unknown>,
  fail: (problem: string) => never,
): Pick<TemplateVariable, 'min' | 'max' | 'integer'> {
  const { min, max, integer } = bounds;
  const given = Object.entries(bounds).filter(([, value]) => value !== undefined);
  if (given.length === 0) return {};
  if (type !== 'number') fail(`variable "${name}": only a number variable can have min, max or integer`);
  for (const [key, value] of [['min', min], ['max', max]] as const) {
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value))) fail(`variable "${name}": ${key} must be a finite number`);
  }
  if (integer !== undefined && typeof integer !== 'boolean') fail(`variable "${name}": integer must be true or false`);
  if (typeof min === 'number' && typeof max === 'number' && min > max) fail(`variable "${name}": min must not be greater than max`);
  return {
    ...(min === undefined ? {} : { min: min as number }),
    ...(max === undefined ? {} : { max: max as number }),
    ...(integer === undefined ? {} : { integer }),
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
