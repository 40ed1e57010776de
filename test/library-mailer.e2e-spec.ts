import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TEST_JWT_SECRET } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { request } from './helpers/http.js';
import { installHostApp, packLibrary, startHost, type PackedLibrary, type RunningHost } from './helpers/library-host.js';
import { SmtpSink } from './helpers/smtp-sink.js';
import { bearer } from './helpers/tokens.js';

/**
 * MailerServiceEmailProvider in the packed package, installed into
 * examples/host-app (see library.e2e-spec.ts for how): the host configured
 * @nestjs-modules/mailer's MailerModule with an SMTP transport to the test
 * sink and `defaults.from: Host Mailer <mailer@host.example>`, and with
 * HOST_EMAIL_PROVIDER=mailer passes `providers: { email: MailerServiceEmailProvider }`.
 * The module's own smtp option (EMAIL_FROM library@example.com) is set too, so
 * the From of what arrives tells which path the mail took.
 */

const SETUP_TIMEOUT_MS = 600_000;
const TEST_TIMEOUT_MS = 60_000;
type Json = Record<string, unknown>;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let work: string;
let packed: PackedLibrary;
let sink: SmtpSink;
let databaseUri: string;
let host: RunningHost;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'fluxkit-library-mailer-'));
  packed = await packLibrary(work);
  const { dir } = await installHostApp(work);
  sink = await SmtpSink.start();
  databaseUri = testDatabaseUri('library-mailer');
  host = await startHost(dir, {
    MONGODB_URI: databaseUri,
    JWT_SECRET: TEST_JWT_SECRET,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(sink.port),
    EMAIL_FROM: 'Library Test <library@example.com>',
    HOST_EMAIL_PROVIDER: 'mailer',
  });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await host?.stop();
  await sink?.stop();
  if (databaseUri) await dropTestDatabase(databaseUri);
  if (work) await rm(work, { recursive: true, force: true });
}, TEST_TIMEOUT_MS);

beforeEach(() => sink.reset());

describe("the host's MailerService as the email provider", () => {
  it('declares @nestjs-modules/mailer an optional peer dependency, never a dependency', () => {
    expect(packed.manifest['peerDependencies']).toHaveProperty(['@nestjs-modules/mailer']);
    expect((packed.manifest['peerDependenciesMeta'] as Json)['@nestjs-modules/mailer']).toEqual({ optional: true });
    expect(Object.keys(packed.manifest['dependencies'] as Json)).not.toContain('@nestjs-modules/mailer');
  });

  it("delivers a send of our API through the host's mailer transport and defaults, attachments byte for byte", async () => {
    const pdf = randomBytes(40_000);
    const response = await request<Json>(`${host.url}/messaging/email`, {
      headers: bearer({ sub: 'mailer-test' }),
      body: {
        to: 'ada@example.com',
        subject: 'Through the host mailer',
        body: '<p>Invoice attached <img src="cid:logo@host.example"></p>',
        attachments: [
          { filename: 'invoice.pdf', content: pdf.toString('base64'), contentType: 'application/pdf' },
          { filename: 'logo.png', content: 'iVBORw0KGgo=', contentType: 'image/png', contentId: 'logo@host.example' },
        ],
      },
    });
    expect(response).toMatchObject({ status: 200, body: { status: 'sent', channel: 'email', to: 'ada@example.com' } });

    const [received] = await sink.waitForMessages(1);
    expect(received?.envelope).toEqual({ from: 'mailer@host.example', to: ['ada@example.com'] });
    expect(received?.mail.from?.value).toEqual([{ name: 'Host Mailer', address: 'mailer@host.example' }]);
    expect(received?.mail.messageId).toBe(response.body['messageId']);
    const invoice = received?.mail.attachments.find((a) => a.filename === 'invoice.pdf');
    expect(invoice && [invoice.contentType, sha256(invoice.content)]).toEqual(['application/pdf', sha256(pdf)]);
    expect(received?.mail.attachments.find((a) => a.filename === 'logo.png')).toMatchObject({ cid: 'logo@host.example' });

    const logs = await request<{ logs: Json[] }>(`${host.url}/messaging/logs?channel=email`, { headers: bearer() });
    expect(logs.body.logs[0]).toMatchObject({
      subject: 'Through the host mailer',
      status: 'sent',
      provider: 'mailer',
      attachments: [{ filename: 'invoice.pdf', contentType: 'application/pdf', size: 40_000 }, { filename: 'logo.png', contentType: 'image/png', size: 8 }],
    });
  }, TEST_TIMEOUT_MS);

  it('renders templates and sends them through it too, and health checks its transport', async () => {
    const sent = await request<Json>(`${host.url}/welcome/Ada`, { body: { email: 'ada@example.com' } });
    expect(sent.status).toBeLessThan(300);
    const [received] = await sink.waitForMessages(1);
    expect(received?.envelope.from).toBe('mailer@host.example');
    expect(received?.mail.subject).toContain('Ada');
    const health = await request<Json>(`${host.url}/messaging/health`);
    expect(health.body).toMatchObject({ providers: { email: { provider: 'mailer', status: 'connected' } } });
  }, TEST_TIMEOUT_MS);
});
