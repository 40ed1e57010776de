import Handlebars from 'handlebars';
import type { TemplateFolder } from './template-folder.js';
import { LAYOUT_VARIABLES, TemplateDefinitionError } from './template-manifest.js';
import { collectVariables, type SyntaxRules } from './template-syntax.js';

export type RenderFunction = (context: Record<string, unknown>) => string;

/** The email of one variant: html.hbs in its layout, the subject and preheader, text.hbs when written. */
export interface EmailContent {
  subject: RenderFunction;
  preheader?: RenderFunction;
  /** The body; the layout wraps it. */
  html: RenderFunction;
  text?: RenderFunction;
  layout: RenderFunction;
}

/** What one variant (the default, or one locale) renders, per channel. */
export interface TemplateContent {
  email?: EmailContent;
  /** sms.hbs: the SMS text, and the WhatsApp text unless whatsapp.hbs is there. */
  sms?: RenderFunction;
  /** whatsapp.hbs. */
  whatsapp?: RenderFunction;
}

export interface Layout {
  render: RenderFunction;
  variables: Set<string>;
}

/** What every variant of every template shares. */
export interface LoadContext {
  folder: TemplateFolder;
  env: typeof Handlebars;
  partials: Set<string>;
  layouts: Map<string, Layout>;
}

/** The subject, preheader and layout of a variant: the template.json's, or the locale's own. */
export interface VariantTexts {
  subject?: string;
  preheader?: string;
  layout: string;
}

/**
 * Strict mode: a variable the context does not hold throws instead of
 * printing nothing. Only the built-in helpers; partials keep their indentation.
 */
export const HTML_OPTIONS: CompileOptions = { strict: true, knownHelpersOnly: true, preventIndent: true };
/** Subject, preheader, text/plain, SMS and WhatsApp text are not HTML: no escaping. */
export const PLAIN_OPTIONS: CompileOptions = { ...HTML_OPTIONS, noEscape: true };

const PLAIN_RULES: SyntaxRules = { partials: new Set(), unescaped: new Set() };

/**
 * Loads the files of one variant folder (`<name>` or `<name>/<locale>`): html.hbs (with the subject:
 * an email), text.hbs, sms.hbs, whatsapp.hbs. Every variable a file reads must be in `declared`.
 * Returns the compiled content and the variables of its subject (header-checked at render time).
 */
export async function loadVariant(
  context: LoadContext,
  where: string,
  texts: VariantTexts,
  declared: ReadonlySet<string>,
): Promise<{ content: TemplateContent; subjectVariables: Set<string> }> {
  const { folder, env } = context;
  const used: Array<[string, Set<string>]> = [];
  const compile = async (file: string, rules: SyntaxRules, options: CompileOptions): Promise<RenderFunction | undefined> => {
    const source = await folder.read(`${where}/${file}`);
    if (source === undefined) return undefined;
    const { ast, variables } = check(`${where}/${file}`, source, rules);
    used.push([`${where}/${file}`, variables]);
    return env.compile(ast, options);
  };
  const content: TemplateContent = {};
  const subjectVariables = new Set<string>();
  const html = await compile('html.hbs', { partials: context.partials, unescaped: new Set() }, HTML_OPTIONS);
  const text = await compile('text.hbs', PLAIN_RULES, PLAIN_OPTIONS);
  if (html) {
    if (texts.subject === undefined) throw new TemplateDefinitionError(`${where}/template.json`, 'an email template (html.hbs) needs a "subject"');
    const layout = context.layouts.get(texts.layout);
    if (!layout) throw new TemplateDefinitionError(`${where}/template.json`, `layout "${texts.layout}" is not in layouts/`);
    used.push([`layouts/${texts.layout}.hbs`, new Set([...layout.variables].filter((v) => !LAYOUT_VARIABLES.has(v)))]);
    const subject = check(`${where}/template.json (subject)`, texts.subject, PLAIN_RULES);
    used.push([`${where}/template.json (subject)`, subject.variables]);
    for (const variable of subject.variables) subjectVariables.add(variable);
    const preheader = texts.preheader === undefined ? undefined : check(`${where}/template.json (preheader)`, texts.preheader, PLAIN_RULES);
    if (preheader) used.push([`${where}/template.json (preheader)`, preheader.variables]);
    content.email = {
      subject: env.compile(subject.ast, PLAIN_OPTIONS),
      ...(preheader ? { preheader: env.compile(preheader.ast, PLAIN_OPTIONS) } : {}),
      html,
      ...(text ? { text } : {}),
      layout: layout.render,
    };
  } else if (text || texts.subject !== undefined || texts.preheader !== undefined) {
    throw new TemplateDefinitionError(where, 'text.hbs, "subject" and "preheader" belong to an email: html.hbs is missing');
  }
  const sms = await compile('sms.hbs', PLAIN_RULES, PLAIN_OPTIONS);
  const whatsapp = await compile('whatsapp.hbs', PLAIN_RULES, PLAIN_OPTIONS);
  if (sms) content.sms = sms;
  if (whatsapp) content.whatsapp = whatsapp;
  for (const [file, variables] of used) {
    const undeclared = [...variables].filter((v) => !declared.has(v));
    if (undeclared.length > 0) throw new TemplateDefinitionError(file, `uses ${undeclared.join(', ')}, not declared in the template's template.json "variables"`);
  }
  return { content, subjectVariables };
}

/** The channels `content` renders for, in a fixed order. */
export function channelsOf(content: TemplateContent): Array<'email' | 'sms' | 'whatsapp'> {
  return [
    ...(content.email ? (['email'] as const) : []),
    ...(content.sms ? (['sms'] as const) : []),
    ...(content.sms || content.whatsapp ? (['whatsapp'] as const) : []),
  ];
}

/**
 * A locale variant is a whole translation: it has every part the default has (the email with its
 * preheader and text.hbs, the SMS text), so a request never gets half of it in another language.
 */
export function assertSameParts(where: string, base: TemplateContent, variant: TemplateContent): void {
  const parts = (content: TemplateContent): string[] => [
    ...(content.email ? ['html.hbs and a "subject"'] : []),
    ...(content.email?.preheader ? ['a "preheader"'] : []),
    ...(content.email?.text ? ['text.hbs'] : []),
    ...(content.sms ? ['sms.hbs'] : []),
  ];
  const missing = parts(base).filter((part) => !parts(variant).includes(part));
  const extra = parts(variant).filter((part) => !parts(base).includes(part));
  if (missing.length > 0) throw new TemplateDefinitionError(where, `misses ${missing.join(', ')}, which the default variant has`);
  if (extra.length > 0) throw new TemplateDefinitionError(where, `has ${extra.join(', ')}, which the default variant does not`);
}

/** Parses a template source and applies the syntax rules; errors name the file and line. */
export function check(where: string, source: string, rules: SyntaxRules): { ast: hbs.AST.Program; variables: Set<string> } {
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(source);
  } catch (error) {
    throw new TemplateDefinitionError(where, `is not valid Handlebars: ${error instanceof Error ? error.message : String(error)}`);
  }
  const variables = collectVariables(ast, rules, (problem, line) => new TemplateDefinitionError(`${where}:${line}`, problem));
  return { ast, variables };
}
