import { ValidationError, type FieldError } from '../errors/messaging.errors.js';
import { headerTextProblem } from '../common/text-rules.js';
import type { TemplateVariable } from './template-manifest.js';

/** Longest value a single variable may hold. */
export const MAX_VARIABLE_LENGTH = 10_000;

/**
 * Checks `data` against a template's declared variables and returns the
 * render context. Every problem is collected, then thrown as one
 * VALIDATION_ERROR whose fields name them (`data.name`): a required variable
 * that is missing, null or blank; a value of the wrong type or outside the
 * declared range; a key the template does not use (likely a typo); a line
 * break or control character in a variable that ends up in the Subject.
 *
 * The context holds every declared variable (absent optional ones as null),
 * which is what Handlebars' strict mode needs to tell "declared but empty"
 * from "not declared at all".
 */
export function templateContext(
  template: string,
  variables: readonly TemplateVariable[],
  data: Record<string, unknown>,
  headerVariables: ReadonlySet<string>,
): Record<string, unknown> {
  const context: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const fields: FieldError[] = [];
  const declared = new Set(variables.map((v) => v.name));
  for (const key of Object.keys(data)) {
    if (!declared.has(key)) {
      const expected = [...declared].join(', ') || 'none';
      fields.push({ field: `data.${key}`, errors: [`is not a variable of template "${template}" (it uses: ${expected})`] });
    }
  }
  for (const variable of variables) {
    const value = Object.hasOwn(data, variable.name) ? data[variable.name] : undefined;
    const problem = checkValue(variable, value, template, headerVariables.has(variable.name));
    if (problem) fields.push({ field: `data.${variable.name}`, errors: [problem] });
    context[variable.name] = isBlank(value) ? null : value;
  }
  if (fields.length > 0) {
    throw ValidationError.listing(`Invalid data for template "${template}"`, fields);
  }
  return context;
}

function checkValue(variable: TemplateVariable, value: unknown, template: string, inHeader: boolean): string | undefined {
  if (isBlank(value)) return variable.required ? `is required by template "${template}"` : undefined;
  switch (variable.type) {
    case 'number':
      return numberProblem(variable, value);
    case 'url':
      return typeof value === 'string' && isHttpUrl(value) ? undefined : 'must be an absolute http(s) URL';
    case 'string':
      if (typeof value !== 'string') return 'must be a string';
      if (value.length > MAX_VARIABLE_LENGTH) return `must be at most ${MAX_VARIABLE_LENGTH} characters`;
      return inHeader && headerTextProblem(value, 'it') ? 'must not contain line breaks or control characters (it is used in the subject)' : undefined;
  }
}

/**
 * Without declared bounds a number stays within ±(2^53 − 1): beyond that
 * JavaScript prints it in exponent form ("1e+308") and loses whole units.
 */
function numberProblem(variable: TemplateVariable, value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
  if (variable.integer && !Number.isInteger(value)) return 'must be an integer';
  const min = variable.min ?? -Number.MAX_SAFE_INTEGER;
  const max = variable.max ?? Number.MAX_SAFE_INTEGER;
  if (value < min) return `must be at least ${min}`;
  if (value > max) return `must be at most ${max}`;
  return undefined;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function isHttpUrl(value: string): boolean {
  if (value.length > MAX_VARIABLE_LENGTH || /\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}
