import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { countSmsSegments } from '../common/sms-segments.js';
import { TemplateNotFoundError } from '../errors/messaging.errors.js';
import { defaultTemplatesDir } from './package-root.js';
import { canonicalLocale, localeCandidates } from './template-locale.js';
import { TemplateRenderer } from './template-renderer.js';

describe('locale tags', () => {
  it.each([
    ['fr', 'fr'],
    ['FR-ca', 'fr-CA'],
    ['zh-hant-tw', 'zh-Hant-TW'],
    ['es-419', 'es-419'],
    ['iw', 'he'],
  ])('takes %j as %j', (value, canonical) => expect(canonicalLocale(value)).toBe(canonical));

  it.each(['../../etc', 'fr/..', 'fr_CA', 'fr-', '', 'f', 'x'.repeat(40), 'fr-CA-u-nu-arab', 'root', 'fr\u0000', 'fr-CA '])('refuses %j', (value) =>
    expect(canonicalLocale(value)).toBeUndefined(),
  );

  it('looks for the tag, then its language', () => {
    expect(localeCandidates('fr-CA')).toEqual(['fr-CA', 'fr']);
    expect(localeCandidates('zh-Hant-TW')).toEqual(['zh-Hant-TW', 'zh']);
    expect(localeCandidates('fr')).toEqual(['fr']);
  });
});

describe('shipped locale variants and text templates', () => {
  let renderer: TemplateRenderer;
  beforeAll(async () => {
    renderer = await TemplateRenderer.load(defaultTemplatesDir());
  });

  it('gives every shipped template an fr and an es variant', () => {
    for (const template of renderer.list()) expect({ name: template.name, locales: template.locales }).toEqual({ name: template.name, locales: ['es', 'fr'] });
  });

  it('falls back fr-CA to fr, es-MX to es, de to the default', () => {
    const data = { name: 'Zoé', appName: 'Acme' };
    expect(renderer.render('welcome', data, undefined, 'fr-CA')).toMatchObject({ locale: 'fr', subject: 'Bienvenue sur Acme, Zoé !' });
    expect(renderer.render('welcome', data, undefined, 'es-MX')).toMatchObject({ locale: 'es', subject: '¡Te damos la bienvenida a Acme, Zoé!' });
    expect(renderer.render('welcome', data, undefined, 'de')).toMatchObject({ locale: null, subject: 'Welcome to Acme, Zoé!' });
  });

  it('renders SMS text without HTML escaping', () => {
    const { text } = renderer.renderText('verification-code', 'sms', { code: '<12&34>', appName: 'A & B' });
    expect(text).toBe('Your A & B code is <12&34>. Never share it with anyone, not even with us.');
  });

  it('keeps the shipped English and French texts in GSM-7, so accents do not double their price', () => {
    const data = {
      'verification-code': { code: '482901', appName: 'Acme', expiresInMinutes: 10 },
      'appointment-reminder': { business: 'Acme', date: 'mardi 12 mars', time: '10 h 30', name: 'Zoé', address: '1 rue de la Paix', phone: '+33123456789' },
    };
    for (const [name, values] of Object.entries(data)) {
      for (const locale of [undefined, 'fr']) {
        const { text } = renderer.renderText(name, 'sms', values, locale);
        expect({ name, locale, encoding: countSmsSegments(text).encoding }).toEqual({ name, locale, encoding: 'GSM-7' });
      }
    }
  });

  it('has no email for a text template and no text for an email template', () => {
    expect(() => renderer.render('verification-code', { code: '1', appName: 'A' })).toThrow(TemplateNotFoundError);
    expect(() => renderer.renderText('welcome', 'sms', { name: 'A', appName: 'B' })).toThrow(/has no sms version/);
  });
});

describe('loading locale variants and text templates', () => {
  let dir: string;
  const variables = { who: { type: 'string', required: true } };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'variants-'));
    await mkdir(join(dir, 'layouts'));
    await writeFile(join(dir, 'layouts', 'default.hbs'), '<html>{{{body}}}</html>');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function files(entries: Record<string, string | object>): Promise<void> {
    for (const [path, content] of Object.entries(entries)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), typeof content === 'string' ? content : JSON.stringify(content));
    }
  }

  it('loads a text-only template: sms for both channels, whatsapp.hbs when there is one', async () => {
    await files({ 'hi/template.json': { description: 'd', variables }, 'hi/sms.hbs': 'Hi {{who}}\n', 'hi/fr/sms.hbs': 'Salut {{who}}', 'hi/fr/whatsapp.hbs': 'Salut *{{who}}*' });
    const renderer = await TemplateRenderer.load(dir);
    expect(renderer.list()).toEqual([expect.objectContaining({ name: 'hi', channels: ['sms', 'whatsapp'], locales: ['fr'] })]);
    expect(renderer.renderText('hi', 'whatsapp', { who: 'Ann' })).toEqual({ text: 'Hi Ann', locale: null });
    expect(renderer.renderText('hi', 'whatsapp', { who: 'Ann' }, 'fr-BE')).toEqual({ text: 'Salut *Ann*', locale: 'fr' });
    expect(renderer.renderText('hi', 'sms', { who: 'Ann' }, 'fr-BE')).toEqual({ text: 'Salut Ann', locale: 'fr' });
  });

  it.each<[string, Record<string, string | object>, RegExp]>([
    ['a variant missing sms.hbs', { 'hi/template.json': { description: 'd', variables }, 'hi/sms.hbs': 'x', 'hi/fr/whatsapp.hbs': 'y' }, /hi\/fr: misses sms.hbs/],
    [
      'an email variant without its own subject',
      { 'hi/template.json': { description: 'd', subject: 's', variables: {} }, 'hi/html.hbs': '<p>x</p>', 'hi/es/html.hbs': '<p>y</p>' },
      /hi\/es\/template.json: an email template \(html.hbs\) needs a "subject"/,
    ],
    ['a locale folder not in canonical form', { 'hi/template.json': { description: 'd', variables: {} }, 'hi/sms.hbs': 'x', 'hi/fr-ca/sms.hbs': 'y' }, /"fr-CA"/],
    ['a variant declaring variables', { 'hi/template.json': { description: 'd', variables: {} }, 'hi/sms.hbs': 'x', 'hi/fr/sms.hbs': 'y', 'hi/fr/template.json': { variables: {} } }, /unknown field\(s\) variables/],
    ['a variant using an undeclared variable', { 'hi/template.json': { description: 'd', variables: {} }, 'hi/sms.hbs': 'x', 'hi/fr/sms.hbs': '{{who}}' }, /hi\/fr\/sms.hbs: uses who/],
    ['html.hbs without a subject', { 'hi/template.json': { description: 'd', variables: {} }, 'hi/html.hbs': '<p>x</p>' }, /needs a "subject"/],
    ['a subject without html.hbs', { 'hi/template.json': { description: 'd', subject: 's', variables: {} }, 'hi/sms.hbs': 'x' }, /html.hbs is missing/],
    ['neither html.hbs nor sms.hbs', { 'hi/template.json': { description: 'd', variables: {} } }, /has neither html.hbs/],
  ])('refuses %s at load', async (_case, entries, message) => {
    await files(entries);
    await expect(TemplateRenderer.load(dir)).rejects.toThrow(message);
  });

  it('leaves sub-folders that are not language tags alone', async () => {
    await files({ 'hi/template.json': { description: 'd', variables: {} }, 'hi/sms.hbs': 'x', 'hi/images/logo.txt': 'png' });
    expect((await TemplateRenderer.load(dir)).list()[0]?.locales).toEqual([]);
  });
});
