/**
 * The baseline's template rendering: the shipped templates/ folder compiled
 * once with Handlebars (same compile options as the app), data checked
 * against each template's declared variables, the layout wrapped around the
 * body, and the text part from text.hbs or html-to-text.
 */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { compile } from 'html-to-text';

const HTML_OPTIONS = { strict: true, knownHelpersOnly: true, preventIndent: true };
const PLAIN_OPTIONS = { ...HTML_OPTIONS, noEscape: true };
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HEADER_UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** The app's html-to-text settings (src/messaging/templates/plain-text.ts). */
const TEXT_OPTIONS = {
  wordwrap: 78,
  limits: { maxDepth: 256 },
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'title', format: 'skip' },
    { selector: '[data-preheader]', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block' },
    { selector: 'td', format: 'block' },
  ],
};

// Compiled once, as the app does: convert() would compile the options again on every call.
const toText = compile(TEXT_OPTIONS);

/** text/plain from HTML, as the app makes it. */
export function htmlToText(html) {
  return toText(html).trim();
}

function hbsFiles(dir) {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.hbs')) : [];
}

/** Compiles every template of `dir`; returns `render(name, data, subject?)`. */
export function loadTemplates(dir) {
  const env = Handlebars.create();
  for (const file of hbsFiles(path.join(dir, 'partials'))) {
    env.registerPartial(file.slice(0, -4), fs.readFileSync(path.join(dir, 'partials', file), 'utf8'));
  }
  const layouts = new Map(
    hbsFiles(path.join(dir, 'layouts')).map((f) => [f.slice(0, -4), env.compile(fs.readFileSync(path.join(dir, 'layouts', f), 'utf8'), HTML_OPTIONS)]),
  );
  const templates = new Map();
  for (const name of fs.readdirSync(dir)) {
    const manifestFile = path.join(dir, name, 'template.json');
    if (!fs.existsSync(manifestFile)) continue;
    // SMS/WhatsApp-only templates (sms.hbs, no subject or html.hbs) are not email templates.
    if (!fs.existsSync(path.join(dir, name, 'html.hbs'))) continue;
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    const read = (file) => fs.readFileSync(path.join(dir, name, file), 'utf8');
    const hasText = fs.existsSync(path.join(dir, name, 'text.hbs'));
    templates.set(name, {
      variables: Object.entries(manifest.variables ?? {}).map(([key, v]) => ({ name: key, ...v })),
      subject: env.compile(manifest.subject, PLAIN_OPTIONS),
      preheader: manifest.preheader ? env.compile(manifest.preheader, PLAIN_OPTIONS) : undefined,
      html: env.compile(read('html.hbs'), HTML_OPTIONS),
      text: hasText ? env.compile(read('text.hbs'), PLAIN_OPTIONS) : undefined,
      layout: layouts.get(manifest.layout ?? 'default'),
    });
  }
  return (name, data, subjectOverride) => render(templates.get(name), name, data, subjectOverride);
}

/** `{ problems }` when the data does not fit, `{ notFound }` for an unknown name, else the rendered mail. */
function render(template, name, data, subjectOverride) {
  if (!template) return { notFound: true };
  const problems = [];
  const declared = new Set(template.variables.map((v) => v.name));
  for (const key of Object.keys(data)) if (!declared.has(key)) problems.push(`data.${key} is not a variable of ${name}`);
  const context = Object.create(null);
  for (const variable of template.variables) {
    const value = Object.hasOwn(data, variable.name) ? data[variable.name] : undefined;
    const problem = checkValue(variable, value);
    if (problem) problems.push(`data.${variable.name} ${problem}`);
    context[variable.name] = isBlank(value) ? null : value;
  }
  if (problems.length > 0) return { problems };
  const subject = (subjectOverride ?? template.subject(context)).replace(/\s+/g, ' ').trim();
  const preheader = template.preheader ? template.preheader(context).replace(/\s+/g, ' ').trim() : '';
  const body = template.html(context);
  const html = template.layout(Object.assign(Object.create(null), context, { subject, preheader, body: new Handlebars.SafeString(body) }));
  const text = template.text ? template.text(context).trim() : htmlToText(html);
  return { subject, html, text };
}

function checkValue(variable, value) {
  if (isBlank(value)) return variable.required ? 'is required' : undefined;
  if (variable.type === 'number') return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
  if (variable.type === 'url') return isHttpUrl(value) ? undefined : 'must be an absolute http(s) URL';
  if (typeof value === 'number') return undefined;
  if (typeof value !== 'string' || value.length > 10_000) return 'must be a string';
  return HEADER_UNSAFE.test(value) ? 'must not contain line breaks' : undefined;
}

function isBlank(value) {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function isHttpUrl(value) {
  if (typeof value !== 'string' || value.length > 10_000 || /\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}
