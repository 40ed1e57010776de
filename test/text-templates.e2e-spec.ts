import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RunningApp } from './helpers/app-process.js';
import { request } from './helpers/http.js';
import { testEnvironment, TEST_SENDERS } from './helpers/test-environment.js';
import { bearer } from './helpers/tokens.js';

type Body = Record<string, unknown>;

/**
 * Text templates for SMS and WhatsApp (templates/<name>/sms.hbs, optional whatsapp.hbs), their segment
 * count, and localised variants (templates/<name>/<locale>/) for every template route. Through the real
 * app: the Twilio-compatible fake receives what was rendered.
 */
describe('text templates, segments and locales', () => {
  const environment = testEnvironment({ name: 'text-templates', twilio: true, smtp: true, redis: true });
  const dir = mkdtempSync(join(tmpdir(), 'text-templates-'));
  let app: RunningApp;
  let clients = 0;
  const nextClient = () => `text-templates-${++clients}`;

  beforeAll(async () => {
    cpSync(resolve('templates'), dir, { recursive: true });
    // `raw` prints its one variable as it is, so the segment cases control every character.
    mkdirSync(join(dir, 'raw'));
    writeFileSync(join(dir, 'raw', 'template.json'), JSON.stringify({ description: 'The text as given', variables: { text: { type: 'string', required: true } } }));
    writeFileSync(join(dir, 'raw', 'sms.hbs'), '{{text}}\n');
    // `greeting` has a WhatsApp text of its own, and a French variant of both.
    mkdirSync(join(dir, 'greeting', 'fr'), { recursive: true });
    writeFileSync(join(dir, 'greeting', 'template.json'), JSON.stringify({ description: 'Hello', variables: { name: { type: 'string', required: true } } }));
    writeFileSync(join(dir, 'greeting', 'sms.hbs'), 'Hello {{name}} (sms)\n');
    writeFileSync(join(dir, 'greeting', 'whatsapp.hbs'), 'Hello *{{name}}* (whatsapp)\n');
    writeFileSync(join(dir, 'greeting', 'fr', 'sms.hbs'), 'Bonjour {{name}} (sms)\n');
    writeFileSync(join(dir, 'greeting', 'fr', 'whatsapp.hbs'), 'Bonjour *{{name}}* (whatsapp)\n');
    app = await environment.startApp({ TEMPLATES_DIR: dir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const post = (path: string, body: unknown, client = nextClient(), headers: Record<string, string> = {}) =>
    request<Body>(`${app.url}/messaging${path}`, { headers: { ...bearer({ sub: client }), ...headers }, body });
  const preview = (text: string) => post('/sms/template/preview', { template: 'raw', data: { text } });

  describe('POST /messaging/sms/template/preview: segments by GSM 03.38', () => {
    it.each<[string, string, string, number]>([
      ['160 GSM-7 characters', 'a'.repeat(160), 'GSM-7', 1],
      ['161 GSM-7 characters', 'a'.repeat(161), 'GSM-7', 2],
      ['306 GSM-7 characters (two parts of 153)', 'a'.repeat(306), 'GSM-7', 2],
      ['307 GSM-7 characters', 'a'.repeat(307), 'GSM-7', 3],
      ['70 UCS-2 characters', 'ж'.repeat(70), 'UCS-2', 1],
      ['71 UCS-2 characters', 'ж'.repeat(71), 'UCS-2', 2],
      ['134 UCS-2 characters (two parts of 67)', 'ж'.repeat(134), 'UCS-2', 2],
      ['135 UCS-2 characters', 'ж'.repeat(135), 'UCS-2', 3],
      ['80 extension-table characters (counted twice)', '€'.repeat(80), 'GSM-7', 1],
      ['81 extension-table characters', '€'.repeat(81), 'GSM-7', 2],
      ['158 letters and one {', `${'a'.repeat(158)}{`, 'GSM-7', 1],
      ['159 letters and one }', `${'a'.repeat(159)}}`, 'GSM-7', 2],
      ['an escape pair at the 153 boundary moves to the next part', `${'a'.repeat(152)}€${'a'.repeat(152)}`, 'GSM-7', 3],
    ])('%s', async (_case, text, encoding, segments) => {
      const response = await preview(text);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ template: 'raw', locale: null, text, encoding, segments });
    });

    it('does not HTML-escape data', async () => {
      const text = `Tom & Jerry <b>"quoted"</b> it's`;
      expect((await preview(text)).body['text']).toBe(text);
    });

    it('refuses data the template does not declare and a missing required variable, naming them', async () => {
      const response = await post('/sms/template/preview', { template: 'verification-code', data: { cod: '1' } });
      expect(response.status).toBe(400);
      const text = JSON.stringify(response.body);
      expect(text).toContain('"field":"data.cod"');
      expect(text).toContain('"field":"data.code"');
    });

    it('answers 404 for an email-only template, naming the channel', async () => {
      const response = await post('/sms/template/preview', { template: 'welcome', data: { name: 'A', appName: 'B' } });
      expect(response.status).toBe(404);
      expect(response.body['error']).toMatchObject({ code: 'TEMPLATE_NOT_FOUND', details: { template: 'welcome', channel: 'sms' } });
    });

    it('refuses a rendered text over 1,600 characters', async () => {
      const response = await preview('a'.repeat(1601));
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toContain('1600');
    });
  });

  describe('locales', () => {
    it.each<[string, string | null, string]>([
      ['fr', 'fr', 'Votre code'],
      ['fr-CA', 'fr', 'Votre code'],
      ['FR-ca', 'fr', 'Votre code'],
      ['es-MX', 'es', 'Tu código'],
      ['es', 'es', 'Tu código'],
      ['de', null, 'Your Acme code'],
      ['en-GB', null, 'Your Acme code'],
    ])('%s renders the %s variant', async (locale, rendered, start) => {
      const response = await post('/sms/template/preview', { template: 'verification-code', data: { code: '123456', appName: 'Acme' }, locale });
      expect(response.status).toBe(200);
      expect(response.body['locale']).toBe(rendered);
      expect(String(response.body['text'])).toContain(start);
      expect(String(response.body['text'])).toContain('123456');
    });

    it.each([
      '../../etc',
      '..',
      'fr/../../etc',
      'fr\\..\\x',
      'fr%2F..',
      'fr_CA',
      'fr-',
      '',
      'x'.repeat(40),
      'fr-CA-u-nu-arab',
      'f',
      '12',
      'fr\u0000',
      'templates',
    ])('refuses the locale %j with 400 naming the field', async (locale) => {
      const response = await post('/sms/template/preview', { template: 'verification-code', data: { code: '1', appName: 'A' }, locale });
      expect(response.status).toBe(400);
      expect(response.body['error']).toMatchObject({ code: 'VALIDATION_ERROR' });
      expect(JSON.stringify(response.body)).toContain('"field":"locale"');
    });

    it('renders the fr email variant for fr-CA: subject and body, and says so', async () => {
      const response = await post('/email/template/preview', { template: 'welcome', data: { name: 'Amélie', appName: 'Acme' }, locale: 'fr-CA' });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ template: 'welcome', locale: 'fr' });
      expect(String(response.body['subject'])).toMatch(/Bienvenue/);
      expect(String(response.body['html'])).toContain('lang="fr"');
      expect(String(response.body['text'])).toContain('Amélie');
    });

    it('sends a localised email and records the locale on the row', async () => {
      const client = nextClient();
      const response = await post('/email/template', { to: 'ana@example.com', template: 'welcome', data: { name: 'Ana', appName: 'Acme' }, locale: 'es-MX' }, client);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ template: 'welcome', locale: 'es' });
      const [mail] = await environment.sink.waitForMessages(1);
      expect(mail?.mail.subject).toMatch(/bienvenida/i);
      expect(await environment.logs.byRequester(client)).toEqual([expect.objectContaining({ template: 'welcome', locale: 'es' })]);
    });

    it('lists each template with its channels and locales', async () => {
      const response = await request<{ templates: Array<{ name: string; channels: string[]; locales: string[] }> }>(`${app.url}/messaging/email/templates`, {
        headers: bearer(),
      });
      const byName = new Map(response.body.templates.map((t) => [t.name, t]));
      for (const name of ['welcome', 'password-reset', 'verify-email', 'notification']) {
        expect(byName.get(name)).toMatchObject({ channels: ['email'], locales: ['es', 'fr'] });
      }
      expect(byName.get('verification-code')).toMatchObject({ channels: ['sms', 'whatsapp'], locales: ['es', 'fr'] });
      expect(byName.get('appointment-reminder')).toMatchObject({ channels: ['sms', 'whatsapp'], locales: ['es', 'fr'] });
      expect(byName.get('greeting')).toMatchObject({ channels: ['sms', 'whatsapp'], locales: ['fr'] });
    });
  });

  describe('OpenAPI', () => {
    interface Schema {
      oneOf?: Schema[];
      properties?: Record<string, Schema>;
      required?: string[];
      enum?: string[];
      type?: string;
      maxLength?: number;
      minimum?: number;
      maximum?: number;
      anyOf?: Schema[];
    }
    const schemas = async () =>
      (await request<{ components: { schemas: Record<string, Schema> } }>(`${app.url}/messaging/docs-json`)).body.components.schemas;

    it('documents POST /messaging/whatsapp as a oneOf of free text and approved template', async () => {
      const body = (await schemas())['SendWhatsAppDto'];
      expect(body?.oneOf?.map((branch) => [Object.keys(branch.properties ?? {}), branch.required])).toEqual([
        [['to', 'body', 'media', 'sendAt'], ['to', 'body']],
        [['to', 'contentSid', 'contentVariables', 'sendAt'], ['to', 'contentSid']],
      ]);
    });

    it('lists per route the templates that render for it, and every longest value it allows is accepted', async () => {
      const all = await schemas();
      const names = (schema: string) => (all[schema]?.oneOf ?? []).map((b) => b.properties?.['template']?.enum?.[0]).sort();
      expect(names('PreviewSmsTemplateDto')).toEqual(['appointment-reminder', 'greeting', 'raw', 'verification-code']);
      expect(names('SendWhatsAppTemplateDto')).toEqual(['appointment-reminder', 'greeting', 'raw', 'verification-code']);
      expect(names('PreviewTemplateDto')).toEqual(['notification', 'password-reset', 'verify-email', 'welcome']);
      for (const branch of all['PreviewSmsTemplateDto']?.oneOf ?? []) {
        const template = branch.properties?.['template']?.enum?.[0];
        const data: Record<string, unknown> = {};
        for (const [name, variable] of Object.entries(branch.properties?.['data']?.properties ?? {})) {
          const text = variable.anyOf?.[0] ?? variable;
          if (text.type === 'integer' || text.type === 'number') data[name] = text.minimum ?? 0;
          else data[name] = `https://a.io/${'a'.repeat((text.maxLength ?? 0) - 'https://a.io/'.length)}`;
        }
        const response = await post('/sms/template/preview', { template, data });
        expect({ template, status: response.status }).toEqual({ template, status: 200 });
        expect(String(response.body['text']).length).toBeLessThanOrEqual(1600);
      }
    });
  });

  describe('sends', () => {
    it('POST /messaging/sms/template sends the rendered text and answers template, locale and segments', async () => {
      const client = nextClient();
      const data = { name: 'Zoé', business: 'Clinique du Parc', date: 'mardi 12 mars', time: '10 h 30' };
      const response = await post('/sms/template', { to: '+33612345678', template: 'appointment-reminder', data, locale: 'fr-FR' }, client);
      expect(response.status).toBe(200);
      const [received] = environment.twilio.messageRequests();
      const body = String(received?.fields['Body']);
      expect(received?.fields).toEqual({ To: '+33612345678', From: TEST_SENDERS.TWILIO_SMS_FROM, Body: body });
      expect(body).toContain('Clinique du Parc');
      expect(body).toContain('mardi 12 mars');
      expect(response.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{24}$/) as string,
        messageId: received?.response?.['sid'],
        status: 'sent',
        channel: 'sms',
        to: '+33612345678',
        template: 'appointment-reminder',
        locale: 'fr',
        segments: expect.any(Number) as number,
      });
      const preview = await post('/sms/template/preview', { template: 'appointment-reminder', data, locale: 'fr-FR' });
      expect(preview.body['text']).toBe(body);
      expect(response.body['segments']).toBe(preview.body['segments']);
      expect(await environment.logs.byRequester(client)).toEqual([
        expect.objectContaining({ channel: 'sms', status: 'sent', template: 'appointment-reminder', locale: 'fr', segments: preview.body['segments'] }),
      ]);
    });

    it('POST /messaging/whatsapp/template uses whatsapp.hbs when the template has one, sms.hbs otherwise', async () => {
      const response = await post('/whatsapp/template', { to: '+14155550100', template: 'greeting', data: { name: 'Ada' }, locale: 'fr' });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'sent', channel: 'whatsapp', template: 'greeting', locale: 'fr' });
      expect(response.body['segments']).toBeUndefined();
      const shared = await post('/whatsapp/template', { to: '+14155550100', template: 'verification-code', data: { code: '987654', appName: 'Acme' } });
      expect(shared.status).toBe(200);
      expect(environment.twilio.messageRequests().map((r) => r.fields)).toEqual([
        { To: 'whatsapp:+14155550100', From: `whatsapp:${TEST_SENDERS.TWILIO_WHATSAPP_FROM}`, Body: 'Bonjour *Ada* (whatsapp)' },
        { To: 'whatsapp:+14155550100', From: `whatsapp:${TEST_SENDERS.TWILIO_WHATSAPP_FROM}`, Body: expect.stringContaining('987654') as string },
      ]);
    });

    it('a plain SMS answers and logs its segments too', async () => {
      const client = nextClient();
      const response = await post('/sms', { to: '+14155550100', body: 'ж'.repeat(71) }, client);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ channel: 'sms', segments: 2 });
      expect(await environment.logs.byRequester(client)).toEqual([expect.objectContaining({ segments: 2 })]);
    });

    it('queues an SMS template: 202 with template, locale and segments, then the worker sends the rendered text', async () => {
      const response = await post('/sms/template', { to: '+14155550100', template: 'verification-code', data: { code: '424242', appName: 'Acme' }, locale: 'es' }, nextClient(), {
        prefer: 'respond-async',
      });
      expect(response.status).toBe(202);
      expect(response.body).toMatchObject({ status: 'queued', channel: 'sms', template: 'verification-code', locale: 'es', segments: 2 });
      const row = await environment.logs.waitFor(String(response.body['messageId']), (r) => r.status === 'sent' || r.status === 'failed');
      expect(row).toMatchObject({ status: 'sent', template: 'verification-code', locale: 'es', segments: 2 });
      expect(String(environment.twilio.messageRequests()[0]?.fields['Body'])).toContain('424242');
    });
  });
});
