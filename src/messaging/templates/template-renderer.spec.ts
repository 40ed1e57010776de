import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TemplateNotFoundError, ValidationError } from '../errors/messaging.errors.js';
import { defaultTemplatesDir } from './package-root.js';
import { TemplateDefinitionError } from './template-manifest.js';
import { TemplateRenderer } from './template-renderer.js';

const welcome = { name: 'Alice', appName: 'My App' };

describe('TemplateRenderer with the shipped templates', () => {
  let renderer: TemplateRenderer;
  beforeAll(async () => {
    renderer = await TemplateRenderer.load(defaultTemplatesDir());
  });

  it('lists the shipped templates with the data each uses', () => {
    const list = renderer.list();
    expect(list.map((t) => t.name)).toEqual(['appointment-reminder', 'notification', 'password-reset', 'verification-code', 'verify-email', 'welcome']);
    const variables = list.find((t) => t.name === 'welcome')?.variables;
    expect(variables).toEqual([
      expect.objectContaining({ name: 'name', type: 'string', required: true }),
      expect.objectContaining({ name: 'appName', type: 'string', required: true }),
      expect.objectContaining({ name: 'actionUrl', type: 'url', required: false }),
    ]);
  });

  it('says whether a template declares a variable, false for an undeclared one or an unknown template', () => {
    expect(renderer.declaresVariable('welcome', 'actionUrl')).toBe(true);
    expect(renderer.declaresVariable('welcome', 'unsubscribeUrl')).toBe(false);
    expect(renderer.declaresVariable('no-such-template', 'actionUrl')).toBe(false);
  });

  it('renders subject, layout-wrapped HTML with a preheader, and the text part', () => {
    const mail = renderer.render('welcome', { ...welcome, actionUrl: 'https://app.example.com/start' });
    expect(mail.subject).toBe('Welcome to My App, Alice!');
    expect(mail.html).toMatch(/^<!DOCTYPE html>/);
    expect(mail.html).toContain('<title>Welcome to My App, Alice!</title>');
    expect(mail.html).toContain('Your My App account is ready.');
    expect(mail.html).toContain('href="https://app.example.com/start"');
    expect(mail.text).toContain('Welcome, Alice!');
    expect(mail.text).toContain('Get started: https://app.example.com/start');
  });

  it('HTML-escapes data in the HTML part but keeps it literal in the subject and text', () => {
    const mail = renderer.render('welcome', { name: '<b>Bob & "Co"</b>', appName: 'A<p>' });
    expect(mail.html).toContain('Welcome, &lt;b&gt;Bob &amp; &quot;Co&quot;&lt;/b&gt;!');
    expect(mail.html).not.toContain('<b>Bob');
    expect(mail.subject).toBe('Welcome to A<p>, <b>Bob & "Co"</b>!');
    expect(mail.text).toContain('Welcome, <b>Bob & "Co"</b>!');
  });

  it('leaves optional blocks out when their data is absent', () => {
    const mail = renderer.render('welcome', welcome);
    expect(mail.html).not.toContain('Get started');
    expect(mail.text).not.toContain('Get started');
  });

  it('names every missing required variable', () => {
    const error = catchError(() => renderer.render('password-reset', { name: 'A' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toEqual({
      fields: [
        { field: 'data.appName', errors: ['is required by template "password-reset"'] },
        { field: 'data.resetUrl', errors: ['is required by template "password-reset"'] },
      ],
    });
  });

  it('refuses unknown keys, wrong types and non-http URLs', () => {
    const error = catchError(() =>
      renderer.render('password-reset', { appName: 'A', resetUrl: 'javascript:alert(1)', expiresInMinutes: '5', nmae: 'x' }),
    ) as ValidationError;
    const fields = (error.details?.['fields'] as Array<{ field: string }>).map((f) => f.field);
    expect(fields).toEqual(['data.nmae', 'data.resetUrl', 'data.expiresInMinutes']);
  });

  it('refuses a line break in a variable that reaches the Subject header', () => {
    const error = catchError(() => renderer.render('welcome', { name: 'Eve\r\nBcc: x@evil.test', appName: 'A' }));
    expect((error as ValidationError).details).toEqual({
      fields: [{ field: 'data.name', errors: ['must not contain line breaks or control characters (it is used in the subject)'] }],
    });
  });

  it('uses a subject override as plain text', () => {
    expect(renderer.render('welcome', welcome, 'Hello {{name}}').subject).toBe('Hello {{name}}');
  });

  it.each(['../etc/passwd', '..%2Fetc', '/etc/passwd', 'welcome/../x', 'welcome.json', '', 'a\\b'])(
    'refuses the name %j as invalid before any lookup',
    (name) => {
      expect(catchError(() => renderer.render(name, welcome))).toBeInstanceOf(ValidationError);
    },
  );

  it.each(['nope', 'constructor', 'layouts', 'partials'])('answers TEMPLATE_NOT_FOUND for %j', (name) => {
    expect(catchError(() => renderer.render(name, welcome))).toBeInstanceOf(TemplateNotFoundError);
  });
});

describe('TemplateRenderer.load with a custom folder', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'email-templates-'));
    await mkdir(join(dir, 'layouts'));
    await writeFile(join(dir, 'layouts', 'default.hbs'), '<html><title>{{subject}}</title>{{{body}}}</html>');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function template(name: string, manifest: object, html: string): Promise<void> {
    await mkdir(join(dir, name));
    await writeFile(join(dir, name, 'template.json'), JSON.stringify(manifest));
    await writeFile(join(dir, name, 'html.hbs'), html);
  }
  const manifest = { description: 'd', subject: 'Hi {{who}}', variables: { who: { type: 'string', required: true } } };

  it('generates the text part from the HTML when there is no text.hbs', async () => {
    await template('hello', manifest, '<p>Hello <a href="https://x.example/">{{who}}</a></p>');
    const mail = (await TemplateRenderer.load(dir)).render('hello', { who: 'Ann' });
    expect(mail.text).toBe('Hello Ann [https://x.example/]');
  });

  it.each([
    ['an undeclared variable', '<p>{{whom}}</p>', /uses whom, not declared/],
    ['unescaped output', '<p>{{{who}}}</p>', /would print data unescaped/],
    ['a helper', '<p>{{#each who}}x{{/each}}</p>', /#each.*not supported/],
    ['a nested path', '<p>{{who.name}}</p>', /not a plain variable/],
    ['an unknown partial', '<p>{{> nope}}</p>', /unknown partial "nope"/],
    ['a syntax error', '<p>{{#if who}}</p>', /not valid Handlebars/],
  ])('refuses a template with %s at load', async (_case, html, message) => {
    await template('bad', manifest, html);
    await expect(TemplateRenderer.load(dir)).rejects.toThrow(message);
  });

  it('refuses a file that is a symlink leading outside the folder', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'outside-'));
    await writeFile(join(outside, 'secret.hbs'), 'secret');
    await mkdir(join(dir, 'leak'));
    await writeFile(join(dir, 'leak', 'template.json'), JSON.stringify(manifest));
    await symlink(join(outside, 'secret.hbs'), join(dir, 'leak', 'html.hbs'));
    await expect(TemplateRenderer.load(dir)).rejects.toThrow(/leak\/html.hbs: leads outside TEMPLATES_DIR/);
    await rm(outside, { recursive: true, force: true });
  });

  it('names the folder when TEMPLATES_DIR does not exist', async () => {
    await expect(TemplateRenderer.load(join(dir, 'missing'))).rejects.toThrow(TemplateDefinitionError);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
