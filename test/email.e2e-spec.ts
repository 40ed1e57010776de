import { createConnection, type Connection } from 'mongoose';
import { startApp, type RunningApp } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { request } from './helpers/http.js';
import { SmtpSink } from './helpers/smtp-sink.js';
import { bearer } from './helpers/tokens.js';
import { loopbackCertificate, type LoopbackCertificate } from './helpers/tls-certificate.js';

const FROM = 'FluxKit Tests <no-reply@fluxkit.test>';

/** Sends as a client would, with a token whose subject becomes `requestedBy`. */
function post(app: RunningApp, path: string, body: unknown, sub = 'billing-service') {
  return request<Record<string, unknown>>(`${app.url}${path}`, { method: 'POST', headers: bearer({ sub }), body });
}

describe('POST /messaging/email over real SMTP', () => {
  const database = testDatabaseUri('email');
  let sink: SmtpSink;
  let app: RunningApp;
  let db: Connection;
  const logRow = (subject: string) => db.collection('message_logs').findOne({ subject });

  beforeAll(async () => {
    sink = await SmtpSink.start();
    app = await startApp({ MONGODB_URI: database, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(sink.port), EMAIL_FROM: FROM });
    db = await createConnection(database).asPromise();
  });
  afterEach(() => sink.reset());
  afterAll(async () => {
    await app.stop();
    await sink.stop();
    await db.close();
    await dropTestDatabase(database);
  });

  it('delivers to to, cc and bcc, answers the seed shape and logs the row as sent', async () => {
    const response = await post(app, '/messaging/email', {
      to: ['alice@example.com', 'bob@example.com'],
      cc: 'carol@example.com',
      bcc: ['dave@example.com'],
      replyTo: 'support@example.com',
      subject: 'Quarterly report',
      body: '<h1>Hello!</h1><p>Your <a href="https://example.com/r">report</a> is ready.</p>',
    });
    expect(response.status).toBe(200);
    expect(response.body.messageId).toMatch(/^<[\w-]+@fluxkit\.test>$/);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/) as string,
      messageId: response.body.messageId,
      status: 'sent',
      channel: 'email',
      to: ['alice@example.com', 'bob@example.com'],
    });

    const [received] = await sink.waitForMessages(1);
    const { envelope, mail, raw } = received;
    expect(envelope.from).toBe('no-reply@fluxkit.test');
    expect([...envelope.to].sort()).toEqual(['alice@example.com', 'bob@example.com', 'carol@example.com', 'dave@example.com']);
    expect(mail.messageId).toBe(response.body.messageId);
    expect(mail.from?.value).toEqual([{ name: 'FluxKit Tests', address: 'no-reply@fluxkit.test' }]);
    expect(mail.headers.get('to')).toMatchObject({ text: 'alice@example.com, bob@example.com' });
    expect(mail.subject).toBe('Quarterly report');
    expect(mail.cc).toMatchObject({ value: [{ address: 'carol@example.com' }] });
    expect(mail.replyTo).toMatchObject({ value: [{ address: 'support@example.com' }] });
    expect(mail.headers.has('bcc')).toBe(false);
    expect(raw).not.toMatch(/dave@example\.com/);
    expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(mail.html).toContain('<h1>Hello!</h1>');
    // No `text` given: the plain part is generated from the HTML.
    expect(mail.text).toContain('Hello!');
    expect(mail.text).toContain('report [https://example.com/r]');

    expect(await logRow('Quarterly report')).toMatchObject({
      channel: 'email',
      to: ['alice@example.com', 'bob@example.com'],
      cc: ['carol@example.com'],
      bcc: ['dave@example.com'],
      subject: 'Quarterly report',
      provider: 'smtp',
      status: 'sent',
      messageId: response.body.messageId,
      requestedBy: 'billing-service',
    });
  });

  it('echoes a single `to` string and sends the given text part', async () => {
    const response = await post(app, '/messaging/email', {
      to: 'user@example.com',
      subject: 'Hello from FluxKit',
      body: '<h1>Hello!</h1><p>This is a test email.</p>',
      text: 'Hello! (plain)',
    });
    expect(response.status).toBe(200);
    expect(response.body.to).toBe('user@example.com');
    const [received] = await sink.waitForMessages(1);
    expect(received.envelope.to).toEqual(['user@example.com']);
    expect(received.mail.text?.trim()).toBe('Hello! (plain)');
    expect(received.mail.html).toContain('This is a test email.');
    expect(await logRow('Hello from FluxKit')).toMatchObject({ to: 'user@example.com', status: 'sent' });
  });

  const valid = { to: 'user@example.com', subject: 'Valid subject', body: '<p>Hi</p>' };
  const many = (n: number, domain: string) => Array.from({ length: n }, (_, i) => `user${i}@${domain}`);
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['an empty `to` list', { to: [] }, 'to', /must not be an empty list/],
    ['a `to` that is not an address', { to: 'not-an-address' }, 'to', /single email address/],
    ['a non-string in `to`', { to: ['ok@example.com', 42] }, 'to', /to\[1\] must be a string/],
    ['a number as `to`', { to: 42 }, 'to', /email address or a list/],
    ['two addresses in one string', { to: 'a@example.com, b@example.com' }, 'to', /single email address/],
    ['a display name', { to: 'Alice <a@example.com>' }, 'to', /single email address/],
    ['a bad address inside cc', { cc: ['ok@example.com', 'bad@'] }, 'cc', /cc\[1\] must be a single email address/],
    ['CR/LF in a bcc address', { bcc: 'a@example.com\r\nX-Evil: 1' }, 'bcc', /line breaks/],
    ['LF in replyTo', { replyTo: 'x@example.com\nBcc: y@example.com' }, 'replyTo', /line breaks/],
    ['a list as replyTo', { replyTo: ['x@example.com'] }, 'replyTo', /must be a string/],
    ['CR/LF in the subject', { subject: 'Hi\r\nBcc: evil@example.com' }, 'subject', /line breaks/],
    ['a missing subject', { subject: undefined }, 'subject', /subject/],
    ['a missing body', { body: undefined }, 'body', /body/],
    ['an unknown field', { from: 'ceo@example.com' }, 'from', /should not exist/],
    ['51 recipients over to+cc+bcc', { to: many(30, 'a.test'), cc: many(15, 'b.test'), bcc: many(6, 'c.test') }, 'to', /at most 50/],
  ])('answers 400 VALIDATION_ERROR naming the field for %s, and sends nothing', async (_case, change, field, message) => {
    const response = await post(app, '/messaging/email', { ...valid, ...change });
    expect(response.status).toBe(400);
    const error = response.body.error as { code: string; details: { fields: Array<{ field: string; errors: string[] }> } };
    expect(error.code).toBe('VALIDATION_ERROR');
    const named = error.details.fields.find((f) => f.field === field);
    expect(named?.errors.join(' ')).toMatch(message);
    expect(sink.recipientAttempts).toEqual([]);
  });

  it('accepts exactly 50 recipients', async () => {
    const response = await post(app, '/messaging/email', { ...valid, subject: 'Fifty', to: many(30, 'a.test'), bcc: many(20, 'c.test') });
    expect(response.status).toBe(200);
    const [received] = await sink.waitForMessages(1);
    expect(received.envelope.to).toHaveLength(50);
  });

  it('refuses a request without a bearer token', async () => {
    const response = await request(`${app.url}/messaging/email`, { method: 'POST', body: valid });
    expect(response.status).toBe(401);
    expect(sink.recipientAttempts).toEqual([]);
  });

  it('writes the log row before calling SMTP: pending while the server holds DATA, sent once it answers', async () => {
    const held = sink.holdNextData();
    const sending = post(app, '/messaging/email', { ...valid, subject: 'Held in DATA' });
    await held.reached;
    expect(await logRow('Held in DATA')).toMatchObject({ status: 'pending', provider: 'smtp' });
    held.release();
    const response = await sending;
    expect(response.status).toBe(200);
    expect(await logRow('Held in DATA')).toMatchObject({ status: 'sent', messageId: response.body.messageId });
  });
});

describe('SMTP with STARTTLS and AUTH', () => {
  const database = testDatabaseUri('email_tls');
  let certificate: LoopbackCertificate;
  let sink: SmtpSink;
  let app: RunningApp;

  beforeAll(async () => {
    certificate = loopbackCertificate('email');

    const tls = { key: certificate.key, cert: certificate.cert };
    sink = await SmtpSink.start({ tls, auth: { user: 'mailer', pass: 'mailer-secret' } });
    app = await startApp({
      MONGODB_URI: database,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(sink.port),
      SMTP_USER: 'mailer',
      SMTP_PASS: 'mailer-secret',
      EMAIL_FROM: FROM,
      NODE_EXTRA_CA_CERTS: certificate.certPath,
    });
  });
  afterAll(async () => {
    await app.stop();
    await sink.stop();
    certificate.remove();
    await dropTestDatabase(database);
  });

  it('upgrades with STARTTLS when the server offers it, then logs in', async () => {
    const response = await post(app, '/messaging/email', { to: 'user@example.com', subject: 'Over TLS', body: '<p>Hi</p>' });
    expect(response.status).toBe(200);
    const [received] = await sink.waitForMessages(1);
    expect(received.secure).toBe(true);
    expect(received.user).toBe('mailer');
  });

  it('reports the server connected in health (verify does STARTTLS and AUTH too)', async () => {
    const response = await request<{ providers: { email: unknown } }>(`${app.url}/messaging/health`);
    expect(response.body.providers.email).toEqual({ provider: 'smtp', status: 'connected' });
  });
});

describe('without SMTP configuration', () => {
  const database = testDatabaseUri('email_unconfigured');
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp({ MONGODB_URI: database });
  });
  afterAll(async () => {
    await app.stop();
    await dropTestDatabase(database);
  });

  it.each([
    ['/messaging/email', { to: 'user@example.com', subject: 'S', body: '<p>B</p>' }],
    ['/messaging/email/template', { to: 'user@example.com', template: 'welcome', data: { name: 'A', appName: 'B' } }],
  ])('answers 400 PROVIDER_NOT_CONFIGURED on %s', async (path, body) => {
    const response = await post(app, path, body);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: { code: 'PROVIDER_NOT_CONFIGURED', message: 'No email provider is configured', details: { channel: 'email' } },
    });
  });

  it('still previews templates', async () => {
    const response = await post(app, '/messaging/email/template/preview', { template: 'welcome', data: { name: 'A', appName: 'B' } });
    expect(response.status).toBe(200);
    expect(response.body.subject).toBe('Welcome to B, A!');
  });
});
