import Handlebars from 'handlebars';
import { TemplateFolder } from './template-folder.js';
import {
  LAYOUT_VARIABLES,
  parseManifest,
  TemplateDefinitionError,
  type TemplateManifest,
} from './template-manifest.js';
import { isTemplateName } from './template-name.js';
import { collectVariables, type SyntaxRules } from './template-syntax.js';

export type RenderFunction = (context: Record<string, unknown>) => string;

/** One template, compiled once at startup. */
export interface LoadedTemplate {
  name: string;
  manifest: TemplateManifest;
  subject: RenderFunction;
  preheader?: RenderFunction;
  /** The body; the layout wraps it. */
  html: RenderFunction;
  text?: RenderFunction;
  layout: RenderFunction;
  /** Variables that end up in the Subject header (checked for line breaks). */
  subjectVariables: ReadonlySet<string>;
}

const LAYOUTS = 'layouts';
const PARTIALS = 'partials';
const MANIFEST = 'template.json';

/**
 * Strict mode: a variable the context does not hold throws instead of
 * printing nothing. Only the built-in helpers; partials keep their indentation.
 */
const HTML_OPTIONS: CompileOptions = { strict: true, knownHelpersOnly: true, preventIndent: true };
/** Subject, preheader and text/plain are not HTML: no escaping. */
const PLAIN_OPTIONS: CompileOptions = { ...HTML_OPTIONS, noEscape: true };

interface Layout {
  render: RenderFunction;
  variables: Set<string>;
}

/**
 * Reads and compiles every template of TEMPLATES_DIR: `partials/*.hbs`,
 * `layouts/*.hbs`, and one folder per template holding `template.json`
 * (description, subject, preheader, layout, declared variables), `html.hbs`
 * and optionally `text.hbs`. Any problem throws TemplateDefinitionError
 * naming the file, so a broken template stops the app at boot rather than
 * failing one send later. Handlebars runs in its own environment: partials
 * registered here never reach a host app's Handlebars.
 */
export async function loadTemplates(dir: string): Promise<Map<string, LoadedTemplate>> {
  const folder = await TemplateFolder.open(dir);
  const env = Handlebars.create();
  const partials = await loadPartials(folder, env);
  const layouts = await loadLayouts(folder, env, partials);
  const templates = new Map<string, LoadedTemplate>();
  for (const name of await folder.folders()) {
    if (name === LAYOUTS || name === PARTIALS) continue;
    const manifestSource = await folder.read(`${name}/${MANIFEST}`);
    if (manifestSource === undefined) continue; // not a template folder (images, drafts...)
    if (!isTemplateName(name)) throw new TemplateDefinitionError(`"${name}"`, 'folder name must be a plain identifier');
    templates.set(name, await loadTemplate(folder, env, name, manifestSource, { partials, layouts }));
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

async function loadTemplate(
  folder: TemplateFolder,
  env: typeof Handlebars,
  name: string,
  manifestSource: string,
  shared: { partials: Set<string>; layouts: Map<string, Layout> },
): Promise<LoadedTemplate> {
  const manifest = parseManifest(parseJson(`${name}/${MANIFEST}`, manifestSource), `${name}/${MANIFEST}`);
  const layout = shared.layouts.get(manifest.layout);
  if (!layout) throw new TemplateDefinitionError(`${name}/${MANIFEST}`, `layout "${manifest.layout}" is not in ${LAYOUTS}/`);
  const plainRules: SyntaxRules = { partials: new Set(), unescaped: new Set() };
  const htmlRules: SyntaxRules = { partials: shared.partials, unescaped: new Set() };
  const subject = check(`${name}/${MANIFEST} (subject)`, manifest.subject, plainRules);
  const preheader = manifest.preheader === undefined ? undefined : check(`${name}/${MANIFEST} (preheader)`, manifest.preheader, plainRules);
  const htmlSource = await folder.read(`${name}/html.hbs`);
  if (htmlSource === undefined) throw new TemplateDefinitionError(`${name}/html.hbs`, 'is missing');
  const html = check(`${name}/html.hbs`, htmlSource, htmlRules);
  const textSource = await folder.read(`${name}/text.hbs`);
  const text = textSource === undefined ? undefined : check(`${name}/text.hbs`, textSource, plainRules);

  const used: Array<[string, Set<string>]> = [
    [`${name}/${MANIFEST} (subject)`, subject.variables],
    [`${name}/html.hbs`, html.variables],
    [`${LAYOUTS}/${manifest.layout}.hbs`, new Set([...layout.variables].filter((v) => !LAYOUT_VARIABLES.has(v)))],
  ];
  if (preheader) used.push([`${name}/${MANIFEST} (preheader)`, preheader.variables]);
  if (text) used.push([`${name}/text.hbs`, text.variables]);
  assertDeclared(name, manifest, used);
  return {
    name,
    manifest,
    subject: env.compile(subject.ast, PLAIN_OPTIONS),
    ...(preheader ? { preheader: env.compile(preheader.ast, PLAIN_OPTIONS) } : {}),
    html: env.compile(html.ast, HTML_OPTIONS),
    ...(text ? { text: env.compile(text.ast, PLAIN_OPTIONS) } : {}),
    layout: layout.render,
    subjectVariables: subject.variables,
  };
}

/** Every variable a file of the template reads must be declared in its template.json. */
function assertDeclared(name: string, manifest: TemplateManifest, used: Array<[string, Set<string>]>): void {
  const declared = new Set(manifest.variables.map((v) => v.name));
  for (const [where, variables] of used) {
    const undeclared = [...variables].filter((v) => !declared.has(v));
    if (undeclared.length > 0) {
      throw new TemplateDefinitionError(where, `uses ${undeclared.join(', ')}, not declared in ${name}/${MANIFEST} "variables"`);
    }
  }
}

/** Parses a template source and applies the syntax rules; errors name the file and line. */
function check(where: string, source: string, rules: SyntaxRules): { ast: hbs.AST.Program; variables: Set<string> } {
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(source);
  } catch (error) {
    throw new TemplateDefinitionError(where, `is not valid Handlebars: ${error instanceof Error ? error.message : String(error)}`);
  }
  const variables = collectVariables(ast, rules, (problem, line) => new TemplateDefinitionError(`${where}:${line}`, problem));
  return { ast, variables };
}

function parseJson(where: string, source: string): unknown {
  try {
    return JSON.parse(source) as unknown;
  } catch (error) {
    throw new TemplateDefinitionError(where, `is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}
