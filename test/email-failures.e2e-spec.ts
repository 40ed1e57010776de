import { createConnection, type Connection } from 'mongoose';
import { startApp, type RunningApp } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { request } from './helpers/http.js';
import { SmtpSink, unusedPort } from './helpers/smtp-sink.js';
import { bearer } from './helpers/tokens.js';

const FROM = 'FluxKit Tests <no-reply@fluxkit.test>';

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

const database = testDatabaseUri('email_failures');
let db: Connection;
const logRow = (subject: string) => db.collection('message_logs').findOne({ subject });

function smtpEnv(port: number, extra: Record<string, string> = {}): Record<string, string> {
  return { MONGODB_URI: database, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), EMAIL_FROM: FROM, ...extra };
}

function send(app: RunningApp, subject: string, to: string | string[] = 'user@example.com') {
  return request<ErrorBody & Record<string, unknown>>(`${app.url}/messaging/email`, {
    method: 'POST',
    headers: bearer(),
    body: { to, subject, body: '<p>Hello</p>' },
  });
}

beforeAll(async () => {
  db = await createConnection(database).asPromise();
});
afterAll(async () => {
  await db.close();
  await dropTestDatabase(database);
});

describe('SMTP server down', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(smtpEnv(await unusedPort()));
  });
  afterAll(() => app.stop());

  it('answers 500 SEND_FAILED "connection refused" and logs the row as failed', async () => {
    const response = await send(app, 'Nobody listens');
    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      error: {
        code: 'SEND_FAILED',
        message: 'Failed to send email: connection refused',
        details: { channel: 'email', provider: 'smtp' },
      },
    });
    expect(await logRow('Nobody listens')).toMatchObject({
      status: 'failed',
      provider: 'smtp',
      error: { code: 'SEND_FAILED', message: 'Failed to send email: connection refused' },
    });
  });

  it('shows the email provider disconnected in health', async () => {
    const response = await request<{ status: string; providers: { email: unknown } }>(`${app.url}/messaging/health`);
    expect(response.body.providers.email).toEqual({ provider: 'smtp', status: 'disconnected' });
    expect(response.body.status).toBe('degraded');
  });
});

describe('SMTP server refusing recipients', () => {
  let sink: SmtpSink;
  let app: RunningApp;
  beforeAll(async () => {
    sink = await SmtpSink.start();
    app = await startApp(smtpEnv(sink.port));
  });
  afterEach(() => sink.reset());
  afterAll(async () => {
    await app.stop();
    await sink.stop();
  });

  it('shows the email provider connected in health', async () => {
    const response = await request<{ status: string; providers: { email: unknown } }>(`${app.url}/messaging/health`);
    expect(response.body.providers.email).toEqual({ provider: 'smtp', status: 'connected' });
  });

  it('answers 500 SEND_FAILED with providerCode 550, never retries it, and logs the row as failed', async () => {
    sink.rejectRecipient('gone@example.com', 550);
    const response = await send(app, 'To a closed mailbox', 'gone@example.com');
    expect(response.status).toBe(500);
    expect(response.body.error).toEqual({
      code: 'SEND_FAILED',
      message: 'Failed to send email: the SMTP server refused recipient gone@example.com (550)',
      details: { channel: 'email', provider: 'smtp', providerCode: 550 },
    });
    expect(sink.recipientAttempts).toEqual(['gone@example.com']);
    expect(sink.messages).toHaveLength(0);
    expect(await logRow('To a closed mailbox')).toMatchObject({
      status: 'failed',
      error: { code: 'SEND_FAILED', providerCode: '550' },
    });
  });

  it('retries a transient 451 and delivers once', async () => {
    sink.rejectRecipient('busy@example.com', 451, 1);
    const response = await send(app, 'Greylisted once', 'busy@example.com');
    expect(response.status).toBe(200);
    expect(sink.recipientAttempts).toEqual(['busy@example.com', 'busy@example.com']);
    expect(await sink.waitForMessages(1)).toHaveLength(1);
    expect(await logRow('Greylisted once')).toMatchObject({ status: 'sent', messageId: response.body.messageId });
  });

  it('gives up on a lasting 4xx after a bounded number of attempts', async () => {
    sink.rejectRecipient('full@example.com', 452);
    const response = await send(app, 'Mailbox full', 'full@example.com');
    expect(response.status).toBe(500);
    expect(response.body.error.details).toEqual({ channel: 'email', provider: 'smtp', providerCode: 452 });
    expect(sink.recipientAttempts).toEqual(['full@example.com', 'full@example.com', 'full@example.com']);
    expect(await logRow('Mailbox full')).toMatchObject({ status: 'failed', error: { providerCode: '452' } });
  });

  it('fails naming a refused recipient when the others were accepted, without retrying', async () => {
    sink.rejectRecipient('gone@example.com', 550);
    const response = await send(app, 'Half delivered', ['ok@example.com', 'gone@example.com']);
    expect(response.status).toBe(500);
    expect(response.body.error.code).toBe('SEND_FAILED');
    expect(response.body.error.message).toMatch(/refused recipient gone@example\.com \(550\); it accepted the message/);
    expect(response.body.error.details).toEqual({ channel: 'email', provider: 'smtp', providerCode: 550 });
    const [received] = await sink.waitForMessages(1);
    expect(received.envelope.to).toEqual(['ok@example.com']);
    expect(sink.recipientAttempts).toEqual(['ok@example.com', 'gone@example.com']);
    expect(await logRow('Half delivered')).toMatchObject({ status: 'failed', error: { providerCode: '550' } });
  });
});

describe('SMTP server too slow to answer', () => {
  let sink: SmtpSink;
  let app: RunningApp;
  beforeAll(async () => {
    sink = await SmtpSink.start();
    app = await startApp(smtpEnv(sink.port, { SMTP_TIMEOUT_MS: '300' }));
  });
  afterAll(async () => {
    await app.stop();
    await sink.stop();
  });

  it('times out after SMTP_TIMEOUT_MS, answers 500 SEND_FAILED and logs the row as failed', async () => {
    sink.delayDataReply(3_000);
    const response = await send(app, 'Slow server');
    expect(response.status).toBe(500);
    expect(response.body.error).toEqual({
      code: 'SEND_FAILED',
      message: 'Failed to send email: the SMTP server did not answer in time',
      details: { channel: 'email', provider: 'smtp' },
    });
    // A timeout is transient: tried three times, each on a fresh connection.
    expect(sink.recipientAttempts).toEqual(['user@example.com', 'user@example.com', 'user@example.com']);
    expect(await logRow('Slow server')).toMatchObject({
      status: 'failed',
      error: { code: 'SEND_FAILED', message: 'Failed to send email: the SMTP server did not answer in time' },
    });
  });
});
