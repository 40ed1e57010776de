import { startApp, type RunningApp } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { FakeTwilio, faults } from './helpers/fake-twilio.js';
import { request, type JsonResponse } from './helpers/http.js';
import { MessageLogReader } from './helpers/message-log-reader.js';
import { PrivateDatabase } from './helpers/private-database.js';
import { SmtpSink } from './helpers/smtp-sink.js';
import { bearer } from './helpers/tokens.js';

/**
 * Faults not covered elsewhere (email-failures, sms, whatsapp and
 * shutdown-and-outage specs hold the others): MongoDB coming back after an
 * outage, the SMTP server going away mid-run, SIGTERM with 100 requests in
 * flight. Each checks the HTTP answers and the log rows.
 */
const SMS_FROM = '+15005550006';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('MongoDB going away and coming back', () => {
  let database: PrivateDatabase;
  let twilio: FakeTwilio;
  let app: RunningApp;
  let reader: MessageLogReader;

  beforeAll(async () => {
    database = await PrivateDatabase.start();
    twilio = await FakeTwilio.start();
    app = await startApp({ MONGODB_URI: database.uri('comeback'), ...twilio.env(), TWILIO_SMS_FROM: SMS_FROM });
  });
  afterAll(async () => {
    await reader?.close();
    await app.stop();
    await twilio.stop();
    await database.destroy();
  });

  const send = (body: string) =>
    request<Record<string, unknown>>(`${app.url}/messaging/sms`, { headers: bearer({ sub: 'comeback' }), body: { to: '+15551230001', body } });
  const health = () => request<{ status: string }>(`${app.url}/messaging/health`);

  it('refuses sends with 503 before any provider call while down, and recovers without a restart', async () => {
    expect((await send('before')).status).toBe(200);
    await database.down();

    const refused = await send('during');
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String) as string } });
    expect(twilio.requestCount('messages')).toBe(1);
    expect((await health()).status).toBe(503);

    await database.up();
    await waitFor(async () => (await health()).status === 200, 60_000, 'health to answer 200 again');
    expect((await health()).body.status).toBe('healthy');
    const after = await send('after');
    expect(after.status).toBe(200);
    expect(twilio.requestCount('messages')).toBe(2);
    expect(app.child.exitCode).toBeNull(); // the same process: no restart

    reader = await MessageLogReader.open(database.uri('comeback'));
    const rows = await reader.byRequester('comeback');
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent']); // no row for the refused send
    expect(rows[1]?.messageId).toBe(after.body.messageId);
  }, 120_000);
});

describe('SMTP server going down mid-run', () => {
  const databaseUri = testDatabaseUri('smtp-mid-run');
  let sink: SmtpSink;
  let app: RunningApp;
  let reader: MessageLogReader;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    app = await startApp({
      MONGODB_URI: databaseUri,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(sink.port),
      EMAIL_FROM: 'no-reply@fluxkit.test',
      SMTP_TIMEOUT_MS: '2000',
    });
    reader = await MessageLogReader.open(databaseUri);
  });
  afterAll(async () => {
    await app.stop();
    await reader.close();
    await dropTestDatabase(databaseUri);
  });

  const send = (subject: string) =>
    request<{ error?: { code: string; details?: unknown } }>(`${app.url}/messaging/email`, {
      headers: bearer({ sub: 'smtp-mid-run' }),
      body: { to: 'user@example.com', subject, body: '<p>Hi</p>' },
    });

  it('delivers while it is up, then answers 500 SEND_FAILED with failed rows once it is gone', async () => {
    expect((await send('first')).status).toBe(200);
    await sink.waitForMessages(1);
    await sink.stop();

    const afterStop = [await send('second'), await send('third')];
    for (const response of afterStop) {
      expect(response.status).toBe(500);
      expect(response.body.error).toMatchObject({ code: 'SEND_FAILED', details: { channel: 'email', provider: 'smtp' } });
    }
    const rows = await reader.byRequester('smtp-mid-run');
    expect(rows.map((r) => r.status)).toEqual(['sent', 'failed', 'failed']);
    expect(rows[1]?.error).toMatchObject({ code: 'SEND_FAILED' });

    const health = await request<{ providers: { email: { status: string } } }>(`${app.url}/messaging/health`);
    expect(health.body.providers.email.status).toBe('disconnected');
  }, 60_000);
});

describe('SIGTERM with 100 requests in flight', () => {
  const databaseUri = testDatabaseUri('sigterm-100');
  let twilio: FakeTwilio;
  let reader: MessageLogReader;

  beforeAll(async () => {
    twilio = await FakeTwilio.start();
    reader = await MessageLogReader.open(databaseUri);
  });
  afterAll(async () => {
    await reader.close();
    await twilio.stop();
    await dropTestDatabase(databaseUri);
  });

  it('completes or cleanly refuses each request, exits 0, and leaves no pending row behind', async () => {
    const app = await startApp({ MONGODB_URI: databaseUri, ...twilio.env(), TWILIO_SMS_FROM: SMS_FROM, THROTTLE_LIMIT: '100000' });
    twilio.failNext(faults.slow(1_500), { times: 1_000 });
    const sendOne = (i: number): Promise<JsonResponse<Record<string, unknown>> | Error> =>
      request<Record<string, unknown>>(`${app.url}/messaging/sms`, {
        headers: bearer({ sub: 'sigterm-100' }),
        body: { to: '+15551230002', body: `message ${i}` },
      }).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));

    const inFlight = Array.from({ length: 100 }, (_, i) => sendOne(i));
    await waitFor(() => twilio.requestCount('messages') >= 50, 20_000, '50 requests to reach Twilio');
    const exited = app.stop('SIGTERM');
    await sleep(50);
    const late = Array.from({ length: 20 }, (_, i) => sendOne(100 + i));
    const results = await Promise.all([...inFlight, ...late]);
    expect(await exited).toBe(0);

    const completed = results.filter((r): r is JsonResponse<Record<string, unknown>> => !(r instanceof Error) && r.status === 200);
    const refused = results.filter((r) => r instanceof Error || r.status === 503);
    // Each one either completed or was refused cleanly (connection refused/closed, or 503): no 500, no hang.
    expect(completed.length + refused.length).toBe(results.length);
    expect(completed.length).toBeGreaterThanOrEqual(50);

    const accepted = twilio.messageRequests().filter((r) => r.outcome === 201).map((r) => r.response?.sid);
    const rows = await reader.byRequester('sigterm-100');
    expect(rows.filter((r) => r.status === 'pending')).toEqual([]);
    const sentIds = rows.filter((r) => r.status === 'sent').map((r) => r.messageId);
    expect(new Set(sentIds)).toEqual(new Set(accepted));
    expect(new Set(completed.map((r) => r.body.messageId))).toEqual(new Set(accepted));
  }, 90_000);
});
