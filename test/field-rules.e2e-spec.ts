import jwt from 'jsonwebtoken';
import { TEST_JWT_SECRET, type RunningApp } from './helpers/app-process.js';
import { testEnvironment } from './helpers/test-environment.js';
import { request, type JsonResponse } from './helpers/http.js';
import { bearer } from './helpers/tokens.js';

/**
 * Field rules the README documents (issue #21 items 2, 3, 6b), through the
 * built app with real providers at the network edge: what is refused gets
 * 400/401 in the envelope and reaches no provider; what is allowed arrives
 * unchanged.
 */
type Envelope = { error: { code: string; message: string; details?: { fields?: { field: string; errors: string[] }[] } } };

const EMOJI = '\u{1F600}';
const FAMILY = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
const nested = (depth: number) => `<p>Start</p>${'<div>'.repeat(depth)}deep${'</div>'.repeat(depth)}<p>End</p>`;

describe('field rules (issue #21)', () => {
  const environment = testEnvironment({ name: 'field-rules', smtp: true, twilio: true, redis: true });
  let app: RunningApp;

  beforeAll(async () => {
    app = await environment.startApp();
  });

  const post = <T = Envelope>(path: string, body: unknown, headers: Record<string, string> = bearer({ sub: 'fields' })) =>
    request<T>(`${app.url}${path}`, { headers, body });

  /** 400 VALIDATION_ERROR naming `field`, and nothing sent. */
  function expectFieldRefused(response: JsonResponse<Envelope>, field: string): void {
    expect({ status: response.status, code: response.body.error?.code }).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
    expect(response.body.error.details?.fields?.map((f) => f.field)).toEqual([field]);
    expect(environment.twilio.requestCount('messages')).toBe(0);
    expect(environment.sink.recipientAttempts).toHaveLength(0);
  }

  describe('SMS and WhatsApp bodies', () => {
    it.each([
      ['/messaging/sms', '801 emoji (1,602 UTF-16 units)', EMOJI.repeat(801)],
      ['/messaging/sms', '1,600 emoji (3,200 units)', EMOJI.repeat(1600)],
      ['/messaging/whatsapp', '801 emoji', EMOJI.repeat(801)],
      ['/messaging/sms', 'NUL', 'code\u0000123'],
      ['/messaging/sms', 'a zero-width space', 'code\u200B123'],
      ['/messaging/sms', 'a right-to-left override', 'pay \u202Eexe.gnp'],
      ['/messaging/whatsapp', 'ESC', 'hi \u001B[31m'],
      ['/messaging/whatsapp', 'a BOM', '\uFEFFhi'],
    ])('%s refuses a body with %s', async (path, _case, body) => {
      expectFieldRefused(await post(path, { to: '+14155550100', body }), 'body');
    });

    it.each([
      ['/messaging/sms', '800 emoji (1,600 units)', EMOJI.repeat(800)],
      ['/messaging/sms', 'line breaks and an emoji ZWJ sequence', `Hi\r\nyour family: ${FAMILY}\n`],
      ['/messaging/whatsapp', 'a ZWJ sequence and ZWNJ', `${FAMILY} می\u200Cخواهم`],
    ])('%s sends %s to Twilio unchanged', async (path, _case, body) => {
      const response = await post<{ status: string }>(path, { to: '+14155550100', body });
      expect(response.status).toBe(200);
      expect(environment.twilio.messageRequests().map((r) => r.fields['Body'])).toEqual([body]);
    });
  });

  describe('WhatsApp media.url', () => {
    it.each([
      'http://127.0.0.1/a.png',
      'http://127.1/a.png',
      'http://2130706433/a.png',
      'http://0.0.0.0/a.png',
      'http://[::1]/a.png',
      'http://[::ffff:127.0.0.1]/a.png',
      'http://169.254.169.254/latest/meta-data/',
      'http://10.1.2.3/a.png',
      'http://[fd00::1]/a.png',
      'http://[fe80::1]/a.png',
      'https://user:pass@cdn.example.com/a.png',
    ])('refuses %s', async (url) => {
      expectFieldRefused(await post('/messaging/whatsapp', { to: '+14155550100', body: 'Invoice', media: { url } }), 'media.url');
    });

    it('sends a public URL', async () => {
      const response = await post('/messaging/whatsapp', { to: '+14155550100', body: 'Invoice', media: { url: 'https://cdn.example.com/a.png' } });
      expect(response.status).toBe(200);
      expect(environment.twilio.messageRequests()[0]?.fields['MediaUrl']).toBe('https://cdn.example.com/a.png');
    });
  });

  describe('email subject and HTML', () => {
    const email = { to: 'user@example.com', subject: 'Hello', body: '<p>Hi</p>' };

    it.each([
      ['a TAB', 'a\tb'],
      ['NEL (U+0085)', 'a\u0085b'],
      ['only spaces', '   '],
      ['500 emoji (1,000 units)', EMOJI.repeat(500)],
    ])('refuses a subject with %s', async (_case, subject) => {
      expectFieldRefused(await post('/messaging/email', { ...email, subject }), 'subject');
    });

    it('sends 2,500 nested <div> (a 500 before), with a generated text part', async () => {
      const response = await post('/messaging/email', { ...email, body: nested(2500) });
      expect(response.status).toBe(200);
      const [mail] = await environment.sink.waitForMessages(1);
      expect(mail.mail.text).toContain('Start');
      expect(mail.mail.text).toContain('End');
    });

    it('queues and delivers 2,500 nested <div> (Prefer: respond-async)', async () => {
      const response = await post('/messaging/email', { ...email, body: nested(2500) }, { ...bearer({ sub: 'fields' }), prefer: 'respond-async' });
      expect(response.status).toBe(202);
      const [mail] = await environment.sink.waitForMessages(1);
      expect(mail.mail.text).toContain('End');
    });

    it('refuses 100,000 <div> without text, naming the way out, and sends them with text', async () => {
      const body = '<div>'.repeat(100_000);
      const refused = await post('/messaging/email', { ...email, body });
      expectFieldRefused(refused, 'body');
      expect(refused.body.error.details?.fields?.[0]?.errors[0]).toContain('"text"');
      const withText = await post('/messaging/email', { ...email, body, text: 'Plain version' });
      expect(withText.status).toBe(200);
    });
  });

  describe('template data', () => {
    const preview = (data: Record<string, unknown>) => post('/messaging/email/template/preview', { template: 'password-reset', data });
    const base = { appName: 'Shop', resetUrl: 'https://shop.example/reset' };

    it.each([
      ['name: 5 where name is a string', { name: 5 }, 'data.name'],
      ['expiresInMinutes: -5', { expiresInMinutes: -5 }, 'data.expiresInMinutes'],
      ['expiresInMinutes: 1e308', { expiresInMinutes: 1e308 }, 'data.expiresInMinutes'],
      ['expiresInMinutes: 2.5', { expiresInMinutes: 2.5 }, 'data.expiresInMinutes'],
    ])('refuses %s', async (_case, data, field) => {
      expectFieldRefused(await preview({ ...base, ...data }), field);
    });

    it('renders a whole number of minutes in range', async () => {
      const response = await preview({ ...base, expiresInMinutes: 30 });
      expect(response.status).toBe(200);
      expect((response.body as unknown as { text: string }).text).toContain('expires in 30 minutes');
    });
  });

  describe('tokens', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const sign = (payload: object, header: object = {}) =>
      `Bearer ${jwt.sign({ iat: now(), exp: now() + 600, ...payload }, TEST_JWT_SECRET, { algorithm: 'HS256', header: { alg: 'HS256', ...header } })}`;

    it.each([
      ['a blank sub', sign({ sub: '   ' })],
      ['a sub with NUL', sign({ sub: 'svc\u0000admin' })],
      ['a sub with a line break', sign({ sub: 'svc\nforged log line' })],
      ['a crit header naming an unknown extension', sign({ sub: 'svc' }, { crit: ['exp-ext'], 'exp-ext': true })],
    ])('answers 401 to a token with %s', async (_case, authorization) => {
      const response = await request<Envelope>(`${app.url}/messaging/logs?limit=1`, { headers: { authorization } });
      expect({ status: response.status, code: response.body.error?.code }).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    });
  });

  describe('logs cursor', () => {
    const get = (query: string) => request<Envelope & { nextCursor: string | null }>(`${app.url}/messaging/logs?${query}`, { headers: bearer() });

    it('refuses a cursor the API never issued (v1:0:<id>) and takes the one it did', async () => {
      const forged = Buffer.from(`v1:0:${'a'.repeat(24)}`).toString('base64url');
      const refused = await get(`cursor=${forged}`);
      expect({ status: refused.status, fields: refused.body.error?.details?.fields?.map((f) => f.field) }).toEqual({ status: 400, fields: ['cursor'] });
      await post('/messaging/sms', { to: '+14155550100', body: 'one' });
      await post('/messaging/sms', { to: '+14155550100', body: 'two' });
      const first = await get('limit=1');
      expect(first.body.nextCursor).toEqual(expect.any(String));
      expect((await get(`limit=1&cursor=${first.body.nextCursor}`)).status).toBe(200);
    });
  });
});
