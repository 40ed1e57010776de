import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { TEST_JWT_SECRET, type RunningApp } from './helpers/app-process.js';
import { testEnvironment } from './helpers/test-environment.js';
import { request, type JsonResponse } from './helpers/http.js';
import { bearer } from './helpers/tokens.js';

/**
 * Hostile requests: each must get the right error envelope and leave no
 * trace — no provider call, no log row. A valid control request proves the
 * counters would have moved.
 */
type Envelope = { error: { code: string; message: string } };

const SMS = { to: '+14155550100', body: 'Your code is 123456' };
const EMAIL = { to: 'user@example.com', subject: 'Hello', body: '<p>Hi</p>' };
const TEMPLATE = { to: 'user@example.com', template: 'welcome', data: { name: 'Alice', appName: 'My App' } };

function nestedArrays(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

function encodeSegment(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('hostile input', () => {
  const environment = testEnvironment({ name: 'hostile-input', smtp: true, twilio: true });
  let app: RunningApp;

  beforeAll(async () => {
    app = await environment.startApp();
  });

  /** Sends `rawBody` (or `body`), expects status + code, and checks that nothing reached a provider or the log. */
  async function expectRefused(
    path: string,
    init: { body?: unknown; rawBody?: string; headers?: Record<string, string> },
    status: number,
    code: string,
  ): Promise<JsonResponse<Envelope>> {
    const rowsBefore = await environment.logs.count();
    const smtpBefore = environment.sink.recipientAttempts.length;
    const twilioBefore = environment.twilio.requestCount('messages');
    const response = await request<Envelope>(`${app.url}${path}`, {
      method: 'POST',
      headers: init.headers ?? bearer({ sub: 'hostile' }),
      ...(init.rawBody !== undefined ? { rawBody: init.rawBody } : { body: init.body }),
    });
    expect({ status: response.status, code: response.body?.error?.code }).toEqual({ status, code });
    expect(Object.keys(response.body)).toEqual(['error']);
    expect(await environment.logs.count()).toBe(rowsBefore);
    expect(environment.sink.recipientAttempts.length).toBe(smtpBefore);
    expect(environment.twilio.requestCount('messages')).toBe(twilioBefore);
    return response;
  }

  it('control: a valid SMS and a valid email do reach the providers and the log', async () => {
    const rows = await environment.logs.count();
    const sms = await request(`${app.url}/messaging/sms`, { headers: bearer(), body: SMS });
    const email = await request(`${app.url}/messaging/email`, { headers: bearer(), body: EMAIL });
    expect([sms.status, email.status]).toEqual([200, 200]);
    expect(await environment.logs.count()).toBe(rows + 2);
    expect(environment.twilio.requestCount('messages')).toBeGreaterThan(0);
    expect(environment.sink.recipientAttempts.length).toBeGreaterThan(0);
  });

  describe('size and shape', () => {
    it.each(['/messaging/sms', '/messaging/whatsapp'])('answers 413 PAYLOAD_TOO_LARGE to a body over 1 MiB on %s', async (path) => {
      await expectRefused(path, { body: { ...SMS, body: 'x'.repeat(1_100_000) } }, 413, 'PAYLOAD_TOO_LARGE');
    });
    // The email routes take 1 MiB plus room for 10 MiB of base64 attachments: their 413 over that raised
    // limit is proved in email-attachments.e2e-spec.ts.

    it.each<[string, string, string]>([
      ['100,000 nested arrays in an unknown field', '/messaging/sms', `{"to":"+14155550100","body":"b","x":${nestedArrays(100_000)}}`],
      ['100,000 nested arrays in template data', '/messaging/email/template', `{"to":"a@example.com","template":"welcome","data":{"name":${nestedArrays(100_000)}}}`],
      ['20,000 nested objects as WhatsApp media', '/messaging/whatsapp', `{"to":"+14155550100","body":"b","media":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`],
    ])('answers 400 VALIDATION_ERROR to %s (no stack overflow)', async (_label, path, rawBody) => {
      const response = await expectRefused(path, { rawBody }, 400, 'VALIDATION_ERROR');
      expect(response.body.error.message).toMatch(/nested more than/);
    });

    it('answers 400 to template data with 50,000 keys, naming the first undeclared ones, quickly', async () => {
      const data = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, 'v']));
      await expectRefused('/messaging/email/template', { body: { ...TEMPLATE, data } }, 400, 'VALIDATION_ERROR');
    });

    it.each<[string, string]>([
      ['__proto__ at the top', `{"__proto__":{"isAdmin":true},"to":"+14155550100","body":"b"}`],
      ['constructor.prototype at the top', `{"constructor":{"prototype":{"isAdmin":true}},"to":"+14155550100","body":"b"}`],
      ['__proto__ inside media', `{"to":"+14155550100","body":"b","media":{"url":"https://x.example/a.png","__proto__":{"x":1}}}`],
    ])('refuses prototype poisoning (%s) with 400 and pollutes nothing', async (_label, rawBody) => {
      const path = rawBody.includes('media') ? '/messaging/whatsapp' : '/messaging/sms';
      await expectRefused(path, { rawBody }, 400, 'VALIDATION_ERROR');
      const after = await request<Record<string, unknown>>(`${app.url}/messaging/sms`, { headers: bearer(), body: SMS });
      expect(after.status).toBe(200);
      expect(after.body).not.toHaveProperty('isAdmin');
    });

    it('refuses template data keys named __proto__ or constructor', async () => {
      await expectRefused('/messaging/email/template', { rawBody: `{"to":"a@example.com","template":"welcome","data":{"name":"A","appName":"B","__proto__":{"x":1}}}` }, 400, 'VALIDATION_ERROR');
      await expectRefused('/messaging/email/template', { body: { ...TEMPLATE, data: { ...TEMPLATE.data, constructor: 'x' } } }, 400, 'VALIDATION_ERROR');
    });
  });

  describe('operator objects where strings belong', () => {
    it.each<[string, string, Record<string, unknown>]>([
      ['sms to', '/messaging/sms', { ...SMS, to: { $ne: null } }],
      ['sms body', '/messaging/sms', { ...SMS, body: { $gt: '' } }],
      ['whatsapp to', '/messaging/whatsapp', { ...SMS, to: { $regex: '.*' } }],
      ['email to', '/messaging/email', { ...EMAIL, to: { $ne: 'x' } }],
      ['email cc list item', '/messaging/email', { ...EMAIL, cc: [{ $exists: true }] }],
      ['email subject', '/messaging/email', { ...EMAIL, subject: { $where: 'sleep(1000)' } }],
      ['template name', '/messaging/email/template', { ...TEMPLATE, template: { $ne: null } }],
      ['template data value', '/messaging/email/template', { ...TEMPLATE, data: { name: { $ne: null }, appName: 'x' } }],
    ])('answers 400 VALIDATION_ERROR for an operator object in %s', async (_label, path, body) => {
      await expectRefused(path, { body }, 400, 'VALIDATION_ERROR');
    });
  });

  describe('unicode', () => {
    it.each<[string, string]>([
      ['a non-ASCII local part', 'zoë@example.com'],
      ['an IDN domain not in xn-- form', 'user@exämple.com'],
      ['a fullwidth at sign', 'user＠example.com'],
      ['a zero-width space', 'us\u200ber@example.com'],
      ['a right-to-left override', 'user\u202e@example.com'],
      ['a NUL byte', 'user\u0000@example.com'],
      ['a line separator', 'user@example.com\u2028Bcc: x@example.com'],
    ])('refuses an address with %s', async (_label, address) => {
      await expectRefused('/messaging/email', { body: { ...EMAIL, to: address } }, 400, 'VALIDATION_ERROR');
    });

    it.each<[string, string, string]>([
      ['sms body', '/messaging/sms', `{"to":"+14155550100","body":"code \\ud800"}`],
      ['email body', '/messaging/email', `{"to":"a@example.com","subject":"s","body":"<p>\\udc00</p>"}`],
      ['email subject', '/messaging/email', `{"to":"a@example.com","subject":"\\ud83d","body":"b"}`],
      ['template data', '/messaging/email/template', `{"to":"a@example.com","template":"welcome","data":{"name":"\\ud800","appName":"x"}}`],
    ])('refuses a lone surrogate in the %s with 400', async (_label, path, rawBody) => {
      const response = await expectRefused(path, { rawBody }, 400, 'VALIDATION_ERROR');
      expect(response.body.error.message).toMatch(/not valid Unicode/);
    });

    it('delivers well-formed unicode bodies and subjects intact (emoji, RTL, combining marks)', async () => {
      // RLM/LRM marks: bidi overrides (U+202E) are refused in message bodies (field-rules.e2e-spec.ts).
      const text = 'Zoë 👋🏽 مرحبا e\u0301 \u200fRTL\u200e';
      const sms = await request(`${app.url}/messaging/sms`, { headers: bearer(), body: { ...SMS, body: text } });
      expect(sms.status).toBe(200);
      expect(environment.twilio.messageRequests().at(-1)?.fields.Body).toBe(text);
      environment.sink.reset();
      const email = await request(`${app.url}/messaging/email`, { headers: bearer(), body: { ...EMAIL, subject: text, body: `<p>${text}</p>` } });
      expect(email.status).toBe(200);
      const [received] = await environment.sink.waitForMessages(1);
      expect(received?.mail.subject).toBe(text);
    });
  });

  describe('header injection in every email field', () => {
    const injections = ['\r\nBcc: evil@example.com', '\nX-Evil: 1', '\rX-Evil: 1'];
    const fields: Array<[string, Record<string, unknown>, (v: string) => Record<string, unknown>]> = [
      ['to', EMAIL, (v) => ({ to: `a@example.com${v}` })],
      ['to (list item)', EMAIL, (v) => ({ to: ['ok@example.com', `a@example.com${v}`] })],
      ['cc', EMAIL, (v) => ({ cc: `a@example.com${v}` })],
      ['bcc', EMAIL, (v) => ({ bcc: [`a@example.com${v}`] })],
      ['replyTo', EMAIL, (v) => ({ replyTo: `a@example.com${v}` })],
      ['subject', EMAIL, (v) => ({ subject: `Hello${v}` })],
      ['template to', TEMPLATE, (v) => ({ to: `a@example.com${v}` })],
      ['template cc', TEMPLATE, (v) => ({ cc: `a@example.com${v}` })],
      ['template replyTo', TEMPLATE, (v) => ({ replyTo: `a@example.com${v}` })],
      ['template subject', TEMPLATE, (v) => ({ subject: `Hello${v}` })],
      ['template data reaching the subject', TEMPLATE, (v) => ({ data: { name: `Alice${v}`, appName: 'My App' } })],
    ];
    const cases = fields.flatMap(([field, base, make]) => injections.map((v) => [field, JSON.stringify(v), base, make(v)] as const));

    it.each(cases)('refuses %s with %s', async (_field, _injection, base, change) => {
      const path = base === TEMPLATE ? '/messaging/email/template' : '/messaging/email';
      await expectRefused(path, { body: { ...base, ...change } }, 400, 'VALIDATION_ERROR');
    });
  });

  describe('template names', () => {
    it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'WELCOME'])(
      'answers 404 TEMPLATE_NOT_FOUND for %j (no object-prototype lookups)',
      async (template) => {
        await expectRefused('/messaging/email/template', { body: { ...TEMPLATE, template } }, 404, 'TEMPLATE_NOT_FOUND');
      },
    );

    it.each(['__proto__', 'welcome\u0000', 'ｗelcome', 'welcome%00', '.welcome', 'welcome/', '..', '~/welcome'])(
      'answers 400 VALIDATION_ERROR for the path trick %j',
      async (template) => {
        await expectRefused('/messaging/email/template', { body: { ...TEMPLATE, template } }, 400, 'VALIDATION_ERROR');
      },
    );
  });

  describe('tokens', () => {
    const now = Math.floor(Date.now() / 1000);
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const noneToken = (alg: string) =>
      `${encodeSegment({ alg, typ: 'JWT' })}.${encodeSegment({ sub: 'attacker', iat: now, exp: now + 3600 })}.`;

    it.each<[string, () => string]>([
      ['alg none', () => noneToken('none')],
      ['alg None', () => noneToken('None')],
      ['alg NONE with the HS256 signature kept', () => `${noneToken('NONE')}${jwt.sign({ sub: 'a' }, TEST_JWT_SECRET).split('.')[2]}`],
      ['RS256 signed with an attacker key', () => jwt.sign({ sub: 'attacker', exp: now + 3600 }, privateKey, { algorithm: 'RS256' })],
      ['HS256 signed with a public key PEM as the secret', () => jwt.sign({ sub: 'attacker', exp: now + 3600 }, publicPem, { algorithm: 'HS256' })],
      ['no exp', () => jwt.sign({ sub: 'attacker' }, TEST_JWT_SECRET, { algorithm: 'HS256' })],
      ['iat a day in the future', () => jwt.sign({ sub: 'attacker', iat: now + 86_400, exp: now + 90_000 }, TEST_JWT_SECRET, { algorithm: 'HS256' })],
      ['an empty sub', () => jwt.sign({ sub: '', exp: now + 3600 }, TEST_JWT_SECRET, { algorithm: 'HS256' })],
    ])('answers 401 UNAUTHORIZED to a send with %s, and sends nothing', async (_label, token) => {
      await expectRefused('/messaging/sms', { body: SMS, headers: { authorization: `Bearer ${token()}` } }, 401, 'UNAUTHORIZED');
    });
  });
});
