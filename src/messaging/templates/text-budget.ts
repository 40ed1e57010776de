import type { LoadedTemplate, RenderFunction } from './template-loader.js';
import type { TemplateVariable } from './template-manifest.js';

/** The longest SMS or WhatsApp text (Twilio's Body limit), in UTF-16 code units. */
export const MAX_TEXT_LENGTH = 1600;
/** The longest a number variable prints: `-9007199254740991`. */
const MAX_NUMBER_LENGTH = 17;

/**
 * The longest value each string or URL variable of `template` may hold so that any data within it
 * renders a text of at most 1,600 units, for the OpenAPI document: it promises only data the API
 * accepts, and a longer text is refused (400). Measured by rendering: a variable's weight is how many
 * units the text grows when its value grows by one (how often it is printed), in the variant and
 * branch that prints most; numbers count at their longest. Undefined when the template has no text
 * for the channel; `cap` when no string is printed.
 */
export function textVariableLimit(template: LoadedTemplate, channel: 'sms' | 'whatsapp', cap: number): number | undefined {
  const variants = [template.content, ...template.locales.values()];
  const renders = variants.map((v) => (channel === 'whatsapp' ? (v.whatsapp ?? v.sms) : v.sms)).filter((r): r is RenderFunction => r !== undefined);
  if (renders.length === 0) return undefined;
  const variables = template.manifest.variables;
  let limit = cap;
  for (const render of renders) {
    for (const withOptional of [true, false]) {
      const base = sampleContext(variables, withOptional);
      const length = (context: Record<string, unknown>) => render(context).length;
      const baseLength = length(base);
      let weight = 0;
      let numbers = 0;
      for (const variable of variables) {
        if (base[variable.name] === null) continue;
        const grown = { ...base, [variable.name]: `${String(base[variable.name])}x` };
        const growth = Math.max(0, length(grown) - baseLength);
        if (variable.type === 'number') numbers += growth * MAX_NUMBER_LENGTH;
        else weight += growth;
      }
      if (weight > 0) limit = Math.min(limit, Math.max(1, Math.floor((MAX_TEXT_LENGTH - baseLength - numbers) / weight)));
    }
  }
  return limit;
}

/** One-unit strings, a short URL, the number 1; optional variables null unless `withOptional`. */
function sampleContext(variables: readonly TemplateVariable[], withOptional: boolean): Record<string, unknown> {
  const context: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const variable of variables) {
    if (!variable.required && !withOptional) context[variable.name] = null;
    else context[variable.name] = variable.type === 'number' ? 1 : variable.type === 'url' ? 'https://a.io/' : 'x';
  }
  return context;
}
