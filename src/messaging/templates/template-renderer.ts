import Handlebars from 'handlebars';
import { TemplateNotFoundError, ValidationError } from '../errors/messaging.errors.js';
import { htmlToPlainText } from './plain-text.js';
import { MAX_VARIABLE_LENGTH, templateContext } from './template-data.js';
import { loadTemplates, type EmailContent, type LoadedTemplate, type TemplateContent } from './template-loader.js';
import { canonicalLocale, localeCandidates } from './template-locale.js';
import { TemplateDefinitionError, type TemplateVariable } from './template-manifest.js';
import { isTemplateName, TEMPLATE_NAME_PATTERN } from './template-name.js';
import { textVariableLimit } from './text-budget.js';
import { channelsOf } from './template-variant.js';

/** A rendered mail: what the provider sends. */
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** Which variant rendered: its locale (`fr`, `fr-CA`), or null for the template's default. */
export interface RenderedLocale {
  locale: string | null;
}

/** The channels a template renders for. */
export type TemplateChannel = 'email' | 'sms' | 'whatsapp';
export type TextChannel = Exclude<TemplateChannel, 'email'>;

/** What GET /messaging/email/templates shows of one template. */
export interface TemplateSummary {
  name: string;
  description: string;
  channels: TemplateChannel[];
  /** Its locale variants, sorted; the default is not listed. */
  locales: string[];
  variables: TemplateVariable[];
}

/** A sample value of `variable`, used to render every template once at startup. */
function sampleOf(variable: TemplateVariable): unknown {
  switch (variable.type) {
    case 'string':
      return 'Sample';
    case 'url':
      return 'https://example.com/';
    case 'number': {
      const inRange = Math.min(Math.max(1, variable.min ?? 1), variable.max ?? Number.POSITIVE_INFINITY);
      return variable.integer ? Math.ceil(inRange) : inRange;
    }
  }
}

const NO_HEADER_VARIABLES: ReadonlySet<string> = new Set();

/**
 * Templates, compiled once at startup (see loadTemplates) and kept in
 * memory. Names and locales are looked up in those maps only: a request never
 * turns into a file path, so neither can read a file, inside TEMPLATES_DIR or out.
 */
export class TemplateRenderer {
  constructor(private readonly templates: ReadonlyMap<string, LoadedTemplate>) {}

  /**
   * Loads TEMPLATES_DIR and renders every variant of every template once with
   * sample data (all optional variables set, then none), so a template that
   * cannot render stops the app at boot instead of failing a send.
   */
  static async load(dir: string): Promise<TemplateRenderer> {
    const renderer = new TemplateRenderer(await loadTemplates(dir));
    for (const template of renderer.templates.values()) renderer.selfTest(template);
    return renderer;
  }

  /** Every template with its channels, locales and the data it uses, sorted by name. */
  list(): TemplateSummary[] {
    return [...this.templates.values()]
      .map(({ name, manifest, content, locales }) => ({
        name,
        description: manifest.description,
        channels: channelsOf(content),
        locales: [...locales.keys()].sort(),
        variables: manifest.variables,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The longest string or URL value whose text of `channel` still fits 1,600 units (see textVariableLimit). */
  textVariableLimit(name: string, channel: TextChannel): number | undefined {
    const template = this.templates.get(name);
    return template ? textVariableLimit(template, channel, MAX_VARIABLE_LENGTH) : undefined;
  }

  /** Whether template `name` declares a variable called `variable` (false for an unknown name). */
  declaresVariable(name: string, variable: string): boolean {
    return this.templates.get(name)?.manifest.variables.some((declared) => declared.name === variable) ?? false;
  }

  /** The variables of template `name` that end up in its Subject header (none for an unknown name). */
  subjectVariables(name: string): ReadonlySet<string> {
    return this.templates.get(name)?.subjectVariables ?? new Set();
  }

  /**
   * Renders the email of `name` with `data`, in the variant of `locale` when there is one. Throws
   * VALIDATION_ERROR for a name that is not a plain identifier or data that does not fit the template's
   * declared variables, TEMPLATE_NOT_FOUND for an unknown name or a template without an email.
   *
   * @param subject replaces the template's subject (plain text, not a template)
   */
  render(name: string, data: Record<string, unknown>, subject?: string, locale?: string): RenderedEmail & RenderedLocale {
    const template = this.find(name);
    const variant = resolveVariant(template, locale);
    const email = variant.content.email;
    if (!email) throw new TemplateNotFoundError(name, 'email');
    const context = templateContext(name, template.manifest.variables, data, template.subjectVariables);
    return { ...compose(email, context, subject), locale: variant.locale };
  }

  /**
   * Renders the text of `name` for SMS (sms.hbs) or WhatsApp (whatsapp.hbs, else sms.hbs), without
   * HTML escaping, trimmed. Same errors as render(), TEMPLATE_NOT_FOUND when it has no such text.
   */
  renderText(name: string, channel: TextChannel, data: Record<string, unknown>, locale?: string): { text: string } & RenderedLocale {
    const template = this.find(name);
    const variant = resolveVariant(template, locale);
    const render = channel === 'whatsapp' ? (variant.content.whatsapp ?? variant.content.sms) : variant.content.sms;
    if (!render) throw new TemplateNotFoundError(name, channel);
    const context = templateContext(name, template.manifest.variables, data, NO_HEADER_VARIABLES);
    return { text: render(context).trim(), locale: variant.locale };
  }

  private find(name: string): LoadedTemplate {
    if (!isTemplateName(name)) {
      throw new ValidationError('Invalid request: template', [
        { field: 'template', errors: [`template must match ${TEMPLATE_NAME_PATTERN.source}`] },
      ]);
    }
    const template = this.templates.get(name);
    if (!template) throw new TemplateNotFoundError(name);
    return template;
  }

  private selfTest(template: LoadedTemplate): void {
    const locales = [undefined, ...template.locales.keys()];
    for (const withOptional of [true, false]) {
      const data: Record<string, unknown> = {};
      for (const variable of template.manifest.variables) {
        if (variable.required || withOptional) data[variable.name] = sampleOf(variable);
      }
      for (const locale of locales) {
        const where = locale === undefined ? `"${template.name}"` : `"${template.name}" (${locale})`;
        try {
          if (template.content.email) this.render(template.name, data, undefined, locale);
          if (template.content.sms) this.renderText(template.name, 'sms', data, locale);
          if (template.content.sms || template.content.whatsapp) this.renderText(template.name, 'whatsapp', data, locale);
        } catch (error) {
          const problem = error instanceof Error ? error.message : String(error);
          throw new TemplateDefinitionError(where, `does not render with sample data: ${problem}`);
        }
      }
    }
  }
}

/** The variant of `locale` (`fr-CA`, else `fr`), else the default; `locale` was validated by the request's DTO. */
function resolveVariant(template: LoadedTemplate, locale: string | undefined): { content: TemplateContent; locale: string | null } {
  const canonical = locale === undefined ? undefined : canonicalLocale(locale);
  for (const candidate of canonical === undefined ? [] : localeCandidates(canonical)) {
    const content = template.locales.get(candidate);
    if (content) return { content, locale: candidate };
  }
  return { content: template.content, locale: null };
}

function compose(email: EmailContent, context: Record<string, unknown>, subjectOverride?: string): RenderedEmail {
  // Whitespace runs (a trailing newline in the source) collapse: a header is one line.
  const subject = (subjectOverride ?? email.subject(context)).replace(/\s+/g, ' ').trim();
  const preheader = email.preheader ? email.preheader(context).replace(/\s+/g, ' ').trim() : '';
  const body = email.html(context);
  const layoutContext = Object.assign(Object.create(null) as Record<string, unknown>, context, {
    subject,
    preheader,
    body: new Handlebars.SafeString(body),
  });
  const html = email.layout(layoutContext);
  const text = email.text ? email.text(context).trim() : htmlToPlainText(html);
  return { subject, html, text };
}
