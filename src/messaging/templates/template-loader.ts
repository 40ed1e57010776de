import Handlebars from 'handlebars';
import { TemplateFolder } from './template-folder.js';
import { canonicalLocale, LOCALE_PATTERN } from './template-locale.js';
import { parseLocaleManifest, parseManifest, TemplateDefinitionError, type TemplateManifest } from './template-manifest.js';
import { isTemplateName } from './template-name.js';
import {
  assertSameParts,
  check,
  HTML_OPTIONS,
  loadVariant,
  type Layout,
  type LoadContext,
  type TemplateContent,
} from './template-variant.js';

export type { EmailContent, RenderFunction, TemplateContent } from './template-variant.js';

/** One template, compiled once at startup: its default variant and its locale variants. */
export interface LoadedTemplate {
  name: string;
  manifest: TemplateManifest;
  content: TemplateContent;
  /** By canonical locale (`fr`, `fr-CA`), from the `<name>/<locale>/` folders. */
  locales: ReadonlyMap<string, TemplateContent>;
  /** Variables that end up in a Subject header, of any variant (checked for line breaks). */
  subjectVariables: ReadonlySet<string>;
}

const LAYOUTS = 'layouts';
const PARTIALS = 'partials';
const MANIFEST = 'template.json';

/**
 * Reads and compiles every template of TEMPLATES_DIR: `partials/*.hbs`,
 * `layouts/*.hbs`, and one folder per template holding `template.json`
 * (description, subject, preheader, layout, declared variables) and its
 * files: `html.hbs` and optionally `text.hbs` (email), `sms.hbs` (SMS, and
 * WhatsApp unless `whatsapp.hbs` is there). A sub-folder named like a
 * language tag (`fr`, `fr-CA`) is a locale variant with the same files and
 * optionally a template.json of its own subject, preheader and layout. Any
 * problem throws TemplateDefinitionError naming the file, so a broken
 * template stops the app at boot rather than failing one send later.
 * Handlebars runs in its own environment: partials registered here never
 * reach a host app's Handlebars.
 */
export async function loadTemplates(dir: string): Promise<Map<string, LoadedTemplate>> {
  const folder = await TemplateFolder.open(dir);
  const env = Handlebars.create();
  const partials = await loadPartials(folder, env);
  const context: LoadContext = { folder, env, partials, layouts: await loadLayouts(folder, env, partials) };
  const templates = new Map<string, LoadedTemplate>();
  for (const name of await folder.folders()) {
    if (name === LAYOUTS || name === PARTIALS) continue;
    const manifestSource = await folder.read(`${name}/${MANIFEST}`);
    if (manifestSource === undefined) continue; // not a template folder (images, drafts...)
    if (!isTemplateName(name)) throw new TemplateDefinitionError(`"${name}"`, 'folder name must be a plain identifier');
    templates.set(name, await loadTemplate(context, name, manifestSource));
  }
  return templates;
}

async function loadPartials(folder: TemplateFolder, env: typeof Handlebars): Promise<Set<string>> {
  const files = await folder.files(PARTIALS, '.hbs');
  const names = new Set(files.map((file) => file.slice(0, -'.hbs'.length)));
  for (const file of files) {
    const rel = `${PARTIALS}/${file}`;
    const source = (await folder.read(rel)) as string;
    check(rel, source, { partials: names, unescaped: new Set() });
    env.registerPartial(file.slice(0, -'.hbs'.length), source);
  }
  return names;
}

async function loadLayouts(folder: TemplateFolder, env: typeof Handlebars, partials: Set<string>): Promise<Map<string, Layout>> {
  const layouts = new Map<string, Layout>();
  for (const file of await folder.files(LAYOUTS, '.hbs')) {
    const rel = `${LAYOUTS}/${file}`;
    const source = (await folder.read(rel)) as string;
    const { ast, variables } = check(rel, source, { partials, unescaped: new Set(['body']) });
    layouts.set(file.slice(0, -'.hbs'.length), { render: env.compile(ast, HTML_OPTIONS), variables });
  }
  return layouts;
}

async function loadTemplate(context: LoadContext, name: string, manifestSource: string): Promise<LoadedTemplate> {
  const manifest = parseManifest(parseJson(`${name}/${MANIFEST}`, manifestSource), `${name}/${MANIFEST}`);
  const declared = new Set(manifest.variables.map((v) => v.name));
  const texts = { subject: manifest.subject, preheader: manifest.preheader, layout: manifest.layout };
  const base = await loadVariant(context, name, texts, declared);
  if (!base.content.email && !base.content.sms && !base.content.whatsapp) {
    throw new TemplateDefinitionError(`"${name}"`, 'has neither html.hbs (email) nor sms.hbs or whatsapp.hbs (text)');
  }
  const subjectVariables = new Set(base.subjectVariables);
  const locales = new Map<string, TemplateContent>();
  for (const sub of await context.folder.folders(name)) {
    if (!LOCALE_PATTERN.test(sub)) continue; // not a locale variant (images, drafts...)
    const canonical = canonicalLocale(sub);
    if (canonical !== sub) throw new TemplateDefinitionError(`${name}/${sub}`, `a locale folder is named in canonical form: "${canonical ?? '?'}"`);
    const where = `${name}/${sub}`;
    const own = await context.folder.read(`${where}/${MANIFEST}`);
    const localeTexts = own === undefined ? {} : parseLocaleManifest(parseJson(`${where}/${MANIFEST}`, own), `${where}/${MANIFEST}`);
    const variant = await loadVariant(context, where, { layout: manifest.layout, ...localeTexts }, declared);
    assertSameParts(where, base.content, variant.content);
    for (const variable of variant.subjectVariables) subjectVariables.add(variable);
    locales.set(sub, variant.content);
  }
  return { name, manifest, content: base.content, locales, subjectVariables };
}

function parseJson(where: string, source: string): unknown {
  try {
    return JSON.parse(source) as unknown;
  } catch (error) {
    throw new TemplateDefinitionError(where, `is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}
