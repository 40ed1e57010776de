import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createConnection, type Connection } from 'mongoose';
import { runAppExpectingExit, startApp, type RunningApp } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { request } from './helpers/http.js';
import { SmtpSink } from './helpers/smtp-sink.js';
import { bearer } from './helpers/tokens.js';

const FROM = 'FluxKit Tests <no-reply@fluxkit.test>';
const SHIPPED = resolve('templates');

interface Fields {
  error: { code: string; message: string; details?: { fields?: Array<{ field: string; errors: string[] }> } };
}

function post(app: RunningApp, path: string, body: unknown) {
  return request<Record<string, unknown> & Fields>(`${app.url}${path}`, { method: 'POST', headers: bearer(), body });
}

describe('email templates', () => {
  const database = testDatabaseUri('email_templates');
  let sink: SmtpSink;
  let app: RunningApp;
  let db: Connection;

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

  it('lists the shipped templates and the data each uses', async () => {
    const response = await request<{ templates: Array<{ name: string; variables: Array<{ name: string; required: boolean }> }> }>(
      `${app.url}/messaging/email/templates`,
      { headers: bearer() },
    );
    expect(response.status).toBe(200);
    expect(response.body.templates.map((t) => t.name)).toEqual(['appointment-reminder', 'notification', 'password-reset', 'verification-code', 'verify-email', 'welcome']);
    const welcome = response.body.templates.find((t) => t.name === 'welcome');
    expect(welcome?.variables.filter((v) => v.required).map((v) => v.name)).toEqual(['name', 'appName']);
  });

  it('sends the seed example: subject, HTML in the layout, the text part, template in the response and the log', async () => {
    const response = await post(app, '/messaging/email/template', {
      to: 'user@example.com',
      template: 'welcome',
      data: { name: 'Alice', appName: 'My App' },
    });
    expect(response.status).toBe(200);
    expect(response.body.messageId).toMatch(/^<.+>$/);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/) as string,
      messageId: response.body.messageId,
      status: 'sent',
      channel: 'email',
      to: 'user@example.com',
      template: 'welcome',
      locale: null,
    });
    const [received] = await sink.waitForMessages(1);
    const { mail } = received;
    expect(mail.messageId).toBe(response.body.messageId);
    expect(mail.subject).toBe('Welcome to My App, Alice!');
    expect(mail.html).toContain('Welcome, Alice!</h1>');
    expect(mail.html).toContain('Your My App account is ready.'); // the preheader
    expect(mail.text).toMatch(/^Welcome, Alice!/);
    expect(mail.text).toContain('The My App team');
    expect(await db.collection('message_logs').findOne({ messageId: response.body.messageId })).toMatchObject({
      status: 'sent',
      template: 'welcome',
      subject: 'Welcome to My App, Alice!',
      to: 'user@example.com',
      provider: 'smtp',
    });
  });

  it('HTML-escapes data in the HTML part and renders buttons with the given URL', async () => {
    const response = await post(app, '/messaging/email/template', {
      to: ['a@example.com'],
      cc: 'b@example.com',
      bcc: 'c@example.com',
      replyTo: 'help@example.com',
      subject: 'Your password, as asked',
      template: 'password-reset',
      data: { appName: 'Shop', name: '<script>alert(1)</script> & "Co"', resetUrl: 'https://shop.example/reset?t=a&u=b', expiresInMinutes: 30 },
    });
    expect(response.status).toBe(200);
    const [received] = await sink.waitForMessages(1);
    const { mail, envelope } = received;
    expect([...envelope.to].sort()).toEqual(['a@example.com', 'b@example.com', 'c@example.com']);
    expect(mail.subject).toBe('Your password, as asked');
    expect(mail.replyTo).toMatchObject({ value: [{ address: 'help@example.com' }] });
    expect(mail.html).toContain('Hi &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;,');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('href="https://shop.example/reset?t&#x3D;a&amp;u&#x3D;b"');
    expect(mail.html).toContain('expires in 30 minutes');
    expect(mail.text).toContain('https://shop.example/reset?t=a&u=b');
  });

  it('previews subject, HTML and text without sending', async () => {
    const response = await post(app, '/messaging/email/template/preview', {
      template: 'notification',
      data: { appName: 'Ops', title: 'Disk almost full', message: 'Server web-1 is at 91%.' },
    });
    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual(['html', 'locale', 'subject', 'template', 'text']);
    expect(response.body).toMatchObject({ template: 'notification', subject: 'Disk almost full' });
    expect(response.body.html).toContain('Server web-1 is at 91%.');
    expect(response.body.text).toContain('Server web-1 is at 91%.');
    expect(sink.recipientAttempts).toEqual([]);
  });

  it('answers 400 VALIDATION_ERROR naming each missing variable, and sends nothing', async () => {
    const response = await post(app, '/messaging/email/template', { to: 'user@example.com', template: 'welcome', data: {} });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
    expect(response.body.error.details?.fields?.map((f) => f.field)).toEqual(['data.name', 'data.appName']);
    expect(sink.recipientAttempts).toEqual([]);
  });

  it('refuses a line break smuggled through data into the Subject', async () => {
    const response = await post(app, '/messaging/email/template', {
      to: 'user@example.com',
      template: 'welcome',
      data: { name: 'Eve\r\nBcc: victim@example.com', appName: 'X' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details?.fields).toEqual([
      { field: 'data.name', errors: ['must not contain line breaks or control characters (it is used in the subject)'] },
    ]);
  });

  it('answers 404 TEMPLATE_NOT_FOUND for an unknown template', async () => {
    const response = await post(app, '/messaging/email/template', { to: 'user@example.com', template: 'invoice', data: {} });
    expect(response.status).toBe(404);
    expect(response.body.error).toEqual({
      code: 'TEMPLATE_NOT_FOUND',
      message: 'Template "invoice" does not exist',
      details: { template: 'invoice' },
    });
  });

  it.each(['../etc/passwd', '..%2F..%2Fetc%2Fpasswd', '/etc/passwd', 'welcome/../x', '..\\welcome', 'welcome.hbs', 'layouts/default'])(
    'answers 400 VALIDATION_ERROR naming `template` for %j, on send and on preview',
    async (template) => {
      const data = { name: 'A', appName: 'B' };
      const attempts: Array<[string, object]> = [
        ['/messaging/email/template', { to: 'user@example.com', template, data }],
        ['/messaging/email/template/preview', { template, data }],
      ];
      for (const [path, body] of attempts) {
        const response = await post(app, path, body);
        expect(response.status).toBe(400);
        expect(response.body.error.code).toBe('VALIDATION_ERROR');
        expect(response.body.error.details?.fields?.map((f) => f.field)).toEqual(['template']);
      }
      expect(sink.recipientAttempts).toEqual([]);
    },
  );
});

describe('TEMPLATES_DIR', () => {
  const database = testDatabaseUri('email_templates_dir');
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'email-templates-dir-'));
    cpSync(SHIPPED, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  afterAll(() => dropTestDatabase(database));

  it('serves the templates of the given folder, partials and layout included', async () => {
    mkdirSync(join(dir, 'invoice'));
    writeFileSync(
      join(dir, 'invoice', 'template.json'),
      JSON.stringify({ description: 'An invoice.', subject: 'Invoice {{number}}', variables: { number: { type: 'number', required: true }, appName: { required: true } } }),
    );
    writeFileSync(join(dir, 'invoice', 'html.hbs'), '<p>Invoice {{number}}</p>{{> button url="https://pay.example/" label="Pay"}}');
    const app = await startApp({ MONGODB_URI: database, TEMPLATES_DIR: dir });
    try {
      const response = await post(app, '/messaging/email/template/preview', { template: 'invoice', data: { number: 42, appName: 'Acme' } });
      expect(response.status).toBe(200);
      expect(response.body.subject).toBe('Invoice 42');
      expect(response.body.html).toContain('href="https://pay.example/"');
      expect(response.body.text).toContain('Invoice 42');
    } finally {
      await app.stop();
    }
  });

  it('refuses to start when a template file is a symlink leading outside the folder', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'outside-'));
    writeFileSync(join(outside, 'secret.txt'), 'top secret');
    rmSync(join(dir, 'welcome', 'text.hbs'));
    symlinkSync(join(outside, 'secret.txt'), join(dir, 'welcome', 'text.hbs'));
    const exited = await runAppExpectingExit({ MONGODB_URI: database, TEMPLATES_DIR: dir });
    rmSync(outside, { recursive: true, force: true });
    expect(exited.code).toBe(1);
    expect(exited.output).toContain('welcome/text.hbs: leads outside TEMPLATES_DIR');
    expect(exited.output).not.toContain('top secret');
  });

  it('refuses to start when TEMPLATES_DIR does not exist', async () => {
    const exited = await runAppExpectingExit({ MONGODB_URI: database, TEMPLATES_DIR: join(dir, 'missing') });
    expect(exited.code).toBe(1);
    expect(exited.output).toMatch(/cannot be read \(ENOENT\); check TEMPLATES_DIR/);
  });
});
