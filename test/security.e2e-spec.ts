import { startApp, TEST_JWT_SECRET, type RunningApp } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { FakeTwilio, faults } from './helpers/fake-twilio.js';
import { request, type JsonResponse } from './helpers/http.js';
import { SmtpSink } from './helpers/smtp-sink.js';
import { bearer, signToken } from './helpers/tokens.js';
import { loopbackCertificate, type LoopbackCertificate } from './helpers/tls-certificate.js';

/** Headers @fastify/helmet must put on every response of the standalone app. */
const SECURITY_HEADERS: Record<string, RegExp> = {
  'x-content-type-options': /^nosniff$/,
  'x-frame-options': /^SAMEORIGIN$/,
  'strict-transport-security': /max-age=\d+/,
  'referrer-policy': /^no-referrer$/,
  'cross-origin-opener-policy': /^same-origin$/,
  'x-dns-prefetch-control': /^off$/,
};
const API_CSP = "default-src 'none';frame-ancestors 'none'";

function expectSecurityHeaders(response: { headers: Headers }, csp: RegExp | string = API_CSP): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    expect(`${name}: ${response.headers.get(name) ?? '(missing)'}`).toMatch(new RegExp(`^${name}: ${value.source.replace(/^\^/, '')}`));
  }
  const policy = response.headers.get('content-security-policy') ?? '';
  if (typeof csp === 'string') expect(policy).toBe(csp);
  else expect(policy).toMatch(csp);
}

describe('security headers', () => {
  const database = testDatabaseUri('security-headers');
  let twilio: FakeTwilio;
  let app: RunningApp;

  beforeAll(async () => {
    twilio = await FakeTwilio.start();
    app = await startApp({ MONGODB_URI: database, ...twilio.env(), TWILIO_SMS_FROM: '+15550000001', THROTTLE_LIMIT: '3', BODY_LIMIT_BYTES: '2048' });
  });
  afterAll(async () => {
    await app.stop();
    await twilio.stop();
    await dropTestDatabase(database);
  });

  it.each<[string, () => Promise<JsonResponse>, number]>([
    ['health', () => request(`${app.url}/messaging/health`), 200],
    ['a sent SMS', () => request(`${app.url}/messaging/sms`, { headers: bearer({ sub: 'h1' }), body: { to: '+14155550100', body: 'hi' } }), 200],
    ['a validation error', () => request(`${app.url}/messaging/sms`, { headers: bearer({ sub: 'h2' }), body: { to: 'x' } }), 400],
    ['malformed JSON', () => request(`${app.url}/messaging/sms`, { headers: bearer({ sub: 'h3' }), rawBody: '{"to":' }), 400],
    ['no token', () => request(`${app.url}/messaging/logs`), 401],
    ['an unknown route', () => request(`${app.url}/nothing`), 404],
    ['a body over the limit', () => request(`${app.url}/messaging/sms`, { headers: bearer({ sub: 'h4' }), body: { to: '+14155550100', body: 'x'.repeat(4096) } }), 413],
    ['the OpenAPI JSON', () => request(`${app.url}/messaging/docs-json`), 200],
  ])('are on %s', async (_label, send, status) => {
    const response = await send();
    expect(response.status).toBe(status);
    expectSecurityHeaders(response);
  });

  it('are on a throttled answer', async () => {
    let last: JsonResponse | undefined;
    for (let i = 0; i < 4; i += 1) last = await request(`${app.url}/messaging/email/templates`, { headers: bearer({ sub: 'h-throttle' }) });
    expect(last?.status).toBe(429);
    expectSecurityHeaders(last as JsonResponse);
  });

  it('let the Swagger UI load its own scripts, styles and images (a same-origin policy only there)', async () => {
    const page = await fetch(`${app.url}/messaging/docs`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('swagger-ui-bundle.js');
    expect(html).not.toMatch(/<script>(?!\s*<\/script>)/); // no inline script the policy would block
    expectSecurityHeaders({ headers: page.headers }, /^default-src 'self';.*script-src 'self';.*style-src 'self' https: 'unsafe-inline'/);
    const script = await fetch(`${app.url}/messaging/docs/swagger-ui-init.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  });
});

describe('secrets never in logs or responses', () => {
  const database = testDatabaseUri('security-secrets');
  let certificate: LoopbackCertificate;
  const SMTP_PASS = 'smtp-pass-Xq7Lw2vN9rT4';
  const TWILIO_TOKEN = 'f00dfeedcafebabe0123456789abcdef';
  let sink: SmtpSink;
  let twilio: FakeTwilio;
  let app: RunningApp;
  const bodies: string[] = [];

  beforeAll(async () => {
    certificate = loopbackCertificate('security');

    const tls = { key: certificate.key, cert: certificate.cert };
    // The servers know other credentials than the app: every send fails on authentication.
    sink = await SmtpSink.start({ tls, auth: { user: 'mailer', pass: 'the-real-password' } });
    twilio = await FakeTwilio.start();
    app = await startApp({
      MONGODB_URI: database,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(sink.port),
      SMTP_USER: 'mailer',
      SMTP_PASS,
      EMAIL_FROM: 'no-reply@fluxkit.test',
      NODE_EXTRA_CA_CERTS: certificate.certPath,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
      TWILIO_API_BASE_URL: twilio.url,
      TWILIO_SMS_FROM: '+15550000001',
      TWILIO_WHATSAPP_FROM: '+15550000002',
      TWILIO_MAX_RETRIES: '1',
      TWILIO_RETRY_BACKOFF_MS: '10',
    });
  });
  afterAll(async () => {
    await app.stop();
    await twilio.stop();
    await sink.stop();
    certificate.remove();
    await dropTestDatabase(database);
  });

  async function call(path: string, init: Parameters<typeof request>[1] = {}): Promise<JsonResponse> {
    const response = await request(`${app.url}${path}`, init);
    bodies.push(JSON.stringify(response.body), [...response.headers].map(([k, v]) => `${k}: ${v}`).join('\n'));
    return response;
  }

  it('a run of failed sends, refused tokens and health checks prints and answers none of them', async () => {
    const email = await call('/messaging/email', { headers: bearer(), body: { to: 'user@example.com', subject: 's', body: 'b' } });
    const sms = await call('/messaging/sms', { headers: bearer(), body: { to: '+14155550100', body: 'b' } });
    twilio.failNext(faults.serverError(), { times: 2 });
    const whatsapp = await call('/messaging/whatsapp', { headers: bearer(), body: { to: '+14155550100', body: 'b' } });
    expect([email.status, sms.status, whatsapp.status]).toEqual([500, 500, 500]);
    expect(email.body).toMatchObject({ error: { code: 'SEND_FAILED' } });
    await call('/messaging/logs', { headers: { authorization: `Bearer ${signToken({ secret: 'wrong-secret-0123456789abcdef0123456789' })}` } });
    await call('/messaging/logs', { headers: bearer() });
    const health = await call('/messaging/health');
    expect(health.body).toMatchObject({ status: 'degraded' });

    await app.stop();
    const printed = app.output();
    expect(printed).toMatch(/SIGTERM|Closed/); // the output was captured to the end
    for (const secret of [TEST_JWT_SECRET, SMTP_PASS, TWILIO_TOKEN]) {
      expect(printed.includes(secret)).toBe(false);
      expect(bodies.some((text) => text.includes(secret))).toBe(false);
      // Not base64-encoded either (SMTP AUTH PLAIN, HTTP Basic).
      const encoded = Buffer.from(secret).toString('base64').slice(0, 16);
      expect(printed.includes(encoded)).toBe(false);
    }
  });
});
