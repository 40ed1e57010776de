import Handlebars from 'handlebars';
import { TemplateNotFoundError, ValidationError } from '../errors/messaging.errors.js';
import { htmlToPlainText } from './plain-text.js';
import { templateContext } from './template-data.js';
import { loadTemplates, type LoadedTemplate } from './template-loader.js';
import { TemplateDefinitionError, type TemplateVariable } from './template-manifest.js';
import { isTemplateName, TEMPLATE_NAME_PATTERN } from './template-name.js';

/** A rendered mail: what the provider sends. */
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** What GET /messaging/email/templates shows of one template. */
export interface TemplateSummary {
  name: string;
  description: string;
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

/**
 * Email templates, compiled once at startup (see loadTemplates) and kept in
 * memory. Names are looked up in that map only: a request never turns into a
 * file path, so no name can read a file, inside TEMPLATES_DIR or out.
 */
export class TemplateRenderer {
  constructor(private readonly templates: ReadonlyMap<string, LoadedTemplate>) {}

  /**
   * Loads TEMPLATES_DIR and renders every template once with sample data
   * (all optional variables set, then none), so a template that cannot
   * render stops the app at boot instead of failing a send.
   */
  static async load(dir: string): Promise<TemplateRenderer> {
    const renderer = new TemplateRenderer(await loadTemplates(dir));
    for (const template of renderer.templates.values()) renderer.selfTest(template);
    return renderer;
  }

  /** Every template with the data it uses, sorted by name. */
  list(): TemplateSummary[] {
    return [...this.templates.values()]
      .map(({ name, manifest }) => ({ name, description: manifest.description, variables: manifest.variables }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The variables of template `name` that end up in its Subject header (none for an unknown name). */
  subjectVariables(name: string): ReadonlySet<string> {
    return this.templates.get(name)?.subjectVariables ?? new Set();
  }

  /**
   * Renders `name` with `data`. Throws VALIDATION_ERROR for a name that is not
   * a plain identifier or data that does not fit the template's declared
   * variables, TEMPLATE_NOT_FOUND for an unknown name.
   *
   * @param subject replaces the template's subject (plain text, not a template)
   */
  render(name: string, data: Record<string, unknown>, subject?: string): RenderedEmail {
    if (!isTemplateName(name)) {
      throw new ValidationError('Invalid request: template', [
        { field: 'template', errors: [`template must match ${TEMPLATE_NAME_PATTERN.source}`] },
      ]);
    }
    const template = this.templates.get(name);
    if (!template) throw new TemplateNotFoundError(name);
    const context = templateContext(name, template.manifest.variables, data, template.subjectVariables);
    return compose(template, context, subject);
  }

  private selfTest(template: LoadedTemplate): void {
    for (const withOptional of [true, false]) {
      const data: Record<string, unknown> = {};
      for (const variable of template.manifest.variables) {
        if (variable.required || withOptional) data[variable.name] = sampleOf(variable);
      }
      try {
        this.render(template.name, data);
      } catch (error) {
        const problem = error instanceof Error ? error.message : String(error);
        throw new TemplateDefinitionError(`"${template.name}"`, `does not render with sample data: ${problem}`);
      }
    }
  }
}

function compose(template: LoadedTemplate, context: Record<string, unknown>, subjectOverride?: string): RenderedEmail {
  // Whitespace runs (a trailing newline in the source) collapse: a header is one line.
  const subject = (subjectOverride ?? template.subject(context)).replace(/\s+/g, ' ').trim();
  const preheader = template.preheader ? template.preheader(context).replace(/\s+/g, ' ').trim() : '';
  const body = template.html(context);
  const layoutContext = Object.assign(Object.create(null) as Record<string, unknown>, context, {
    subject,
    preheader,
    body: new Handlebars.SafeString(body),
  });
  const html = template.layout(layoutContext);
  const text = template.text ? template.text(context).trim() : htmlToPlainText(html);
  return { subject, html, text };
}
