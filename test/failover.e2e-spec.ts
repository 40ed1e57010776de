import { startApp, type RunningApp } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { FakeTwilio, faults } from './helpers/fake-twilio.js';
import { request } from './helpers/http.js';
import { MessageLogReader } from './helpers/message-log-reader.js';
import { SmtpSink, unusedPort } from './helpers/smtp-sink.js';
import { bearer } from './helpers/tokens.js';

const FROM = 'FluxKit Tests <no-reply@fluxkit.test>';
const SMS_FROM = '+15005550006';
const WHATSAPP_FROM = '+14155238886';
const WHATSAPP_FROM_2 = '+14155230002';
/** Fast Twilio knobs: one retry, 20 ms apart. */
const FAST_TWILIO = { TWILIO_TIMEOUT_MS: '2000', TWILIO_MAX_RETRIES: '1', TWILIO_RETRY_BACKOFF_MS: '20' };
const ANY_DATE = expect.any(Date) as Date;

interface Body {
  messageId?: string;
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

const database = testDatabaseUri('failover');
let logs: MessageLogReader;
let clients = 0;
/** A fresh token subject per send, so each test finds exactly its own log row. */
const nextClient = () => `failover-${++clients}`;

beforeAll(async () => {
  logs = await MessageLogReader.open(database);
});
afterAll(async () => {
  await logs.close();
  await dropTestDatabase(database);
});

async function sendEmail(app: RunningApp, to: string) {
  const client = nextClient();
  const response = await request<Body>(`${app.url}/messaging/email`, {
    headers: bearer({ sub: client }),
    body: { to, subject: `To ${to}`, body: '<p>Hello</p>' },
  });
  const [row] = await logs.byRequester(client);
  return { response, row };
}

describe('email when the first relay is down (closed port)', () => {
  let second: SmtpSink;
  let app: RunningApp;
  beforeAll(async () => {
    second = await SmtpSink.start();
    app = await startApp({
      MONGODB_URI: database,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(await unusedPort()),
      EMAIL_FROM: FROM,
      SMTP_FAILOVER_URLS: `smtp://127.0.0.1:${second.port}`,
    });
  });
  afterAll(async () => {
    await app.stop();
    await second.stop();
  });

  it('delivers through smtp-2; the row names smtp-2 and both attempts, and the logs API shows them', async () => {
    const { response, row } = await sendEmail(app, 'ada@example.com');
    expect(response.status).toBe(200);
    const [received] = await second.waitForMessages(1);
    expect(received?.mail.messageId).toBe(response.body.messageId);
    expect(row).toMatchObject({
      status: 'sent',
      provider: 'smtp-2',
      messageId: response.body.messageId,
      attempts: [
        { provider: 'smtp', at: ANY_DATE, outcome: 'failed', error: { code: 'SEND_FAILED', message: 'Failed to send email: connection refused' } },
        { provider: 'smtp-2', at: ANY_DATE, outcome: 'sent' },
      ],
    });
    expect(row?.attempts?.[0]?.at.getTime()).toBeLessThanOrEqual(row?.attempts?.[1]?.at.getTime() ?? 0);

    const page = await request<{ logs: Array<Record<string, unknown>> }>(`${app.url}/messaging/logs?to=ada@example.com`, {
      headers: bearer(),
    });
    const [listed] = page.body.logs;
    expect(listed).toMatchObject({
      provider: 'smtp-2',
      attempts: [
        { provider: 'smtp', at: row?.attempts?.[0]?.at.toISOString(), outcome: 'failed', error: { code: 'SEND_FAILED' } },
        { provider: 'smtp-2', at: row?.attempts?.[1]?.at.toISOString(), outcome: 'sent' },
      ],
    });
    const single = await request(`${app.url}/messaging/logs/${String(listed?.['_id'])}`, { headers: bearer() });
    expect(single.body).toEqual(listed);
  });
});

describe('email over two relays that answer', () => {
  let first: SmtpSink;
  let second: SmtpSink;
  let app: RunningApp;
  beforeAll(async () => {
    [first, second] = await Promise.all([SmtpSink.start(), SmtpSink.start()]);
    app = await startApp({
      MONGODB_URI: database,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(first.port),
      EMAIL_FROM: FROM,
      SMTP_FAILOVER_URLS: `smtp://127.0.0.1:${second.port}`,
    });
  });
  afterEach(() => {
    first.reset();
    second.reset();
  });
  afterAll(async () => {
    await app.stop();
    await Promise.all([first.stop(), second.stop()]);
  });

  it('moves on when the first answers 451 (after its own retries)', async () => {
    first.rejectRecipient('busy@example.com', 451);
    const { response, row } = await sendEmail(app, 'busy@example.com');
    expect(response.status).toBe(200);
    expect(first.recipientAttempts).toEqual(['busy@example.com', 'busy@example.com', 'busy@example.com']);
    await second.waitForMessages(1);
    expect(row?.provider).toBe('smtp-2');
    expect(row?.attempts?.map((a) => [a.provider, a.outcome, a.error?.providerCode])).toEqual([
      ['smtp', 'failed', '451'],
      ['smtp-2', 'sent', undefined],
    ]);
  });

  it('stops at a 550 for the recipient: SEND_FAILED, and the second relay is never contacted', async () => {
    first.rejectRecipient('nobody@example.com', 550);
    const { response, row } = await sendEmail(app, 'nobody@example.com');
    expect(response.status).toBe(500);
    expect(response.body.error).toEqual({
      code: 'SEND_FAILED',
      message: 'Failed to send email: the SMTP server refused recipient nobody@example.com (550)',
      details: {
        channel: 'email',
        provider: 'smtp',
        providerCode: 550,
        attempts: [
          {
            provider: 'smtp',
            at: expect.any(String) as string,
            outcome: 'failed',
            error: { code: 'SEND_FAILED', message: 'Failed to send email: the SMTP server refused recipient nobody@example.com (550)', providerCode: '550' },
          },
        ],
      },
    });
    expect(first.recipientAttempts).toEqual(['nobody@example.com']);
    expect(second.recipientAttempts).toEqual([]);
    expect(row).toMatchObject({ status: 'failed', provider: 'smtp', error: { providerCode: '550' } });
    expect(row?.attempts).toHaveLength(1);
  });

  it('fails with SEND_FAILED naming the last relay, with every attempt, when all relays fail', async () => {
    first.rejectRecipient('everyone-busy@example.com', 451);
    second.rejectRecipient('everyone-busy@example.com', 452);
    const { response, row } = await sendEmail(app, 'everyone-busy@example.com');
    expect(response.status).toBe(500);
    expect(response.body.error?.details).toMatchObject({ channel: 'email', provider: 'smtp-2', providerCode: 452 });
    expect((response.body.error?.details?.['attempts'] as Array<Record<string, unknown>>).map((a) => [a['provider'], a['outcome']])).toEqual([
      ['smtp', 'failed'],
      ['smtp-2', 'failed'],
    ]);
    expect(row).toMatchObject({ status: 'failed', provider: 'smtp-2', error: { providerCode: '452' } });
    expect(row?.attempts?.map((a) => a.error?.providerCode)).toEqual(['451', '452']);
  });
});

describe('SMS and WhatsApp over two Twilio accounts', () => {
  let first: FakeTwilio;
  let second: FakeTwilio;
  let app: RunningApp;
  beforeAll(async () => {
    [first, second] = await Promise.all([FakeTwilio.start(), FakeTwilio.start()]);
    const secondUrl = second.url.replace('http://', `http://${second.accountSid}:${second.authToken}@`);
    app = await startApp({
      MONGODB_URI: database,
      ...first.env(),
      TWILIO_SMS_FROM: SMS_FROM,
      TWILIO_WHATSAPP_FROM: WHATSAPP_FROM,
      TWILIO_FAILOVER_URLS: `${secondUrl}?whatsappFrom=${encodeURIComponent(WHATSAPP_FROM_2)}`,
      ...FAST_TWILIO,
    });
  });
  afterEach(() => {
    first.reset();
    second.reset();
  });
  afterAll(async () => {
    await app.stop();
    await Promise.all([first.stop(), second.stop()]);
  });

  async function send(path: 'sms' | 'whatsapp') {
    const client = nextClient();
    const response = await request<Body>(`${app.url}/messaging/${path}`, {
      headers: bearer({ sub: client }),
      body: { to: '+1234567890', body: 'Your code is 482901' },
    });
    const [row] = await logs.byRequester(client);
    return { response, row };
  }

  it('moves on when the first answers 503: the second account delivers with the shared SMS sender', async () => {
    first.failNext(faults.serverError(503, 20503), { times: 2 });
    const { response, row } = await send('sms');
    expect(response.status).toBe(200);
    expect(first.requestCount('messages')).toBe(2);
    const [delivered] = second.messageRequests();
    expect(delivered?.authorized).toBe(true);
    expect(delivered?.fields).toEqual({ To: '+1234567890', From: SMS_FROM, Body: 'Your code is 482901' });
    expect(response.body.messageId).toBe(delivered?.response?.['sid']);
    expect(row).toMatchObject({
      status: 'sent',
      provider: 'twilio-2',
      messageId: response.body.messageId,
      attempts: [
        { provider: 'twilio', at: ANY_DATE, outcome: 'failed', error: { code: 'SEND_FAILED', providerCode: '20503' } },
        { provider: 'twilio-2', at: ANY_DATE, outcome: 'sent' },
      ],
    });
  });

  it('stops at 400/21211 from the first: no failover', async () => {
    first.failNext(faults.invalidNumber());
    const { response, row } = await send('sms');
    expect(response.status).toBe(500);
    expect(response.body.error).toMatchObject({ code: 'SEND_FAILED', details: { provider: 'twilio', providerCode: 21211 } });
    expect(second.requestCount('any')).toBe(0);
    expect(row).toMatchObject({ status: 'failed', provider: 'twilio', error: { providerCode: '21211' } });
    expect(row?.attempts).toHaveLength(1);
  });

  it('fails with SEND_FAILED naming the last account, with every attempt, when all are down', async () => {
    first.failNext(faults.serverError(503, 20503), { times: 2 });
    second.failNext(faults.serverError(500, 20500), { times: 2 });
    const { response, row } = await send('sms');
    expect(response.status).toBe(500);
    const details = response.body.error?.details ?? {};
    expect(details).toMatchObject({ channel: 'sms', provider: 'twilio-2', providerCode: 20500 });
    expect((details['attempts'] as Array<Record<string, unknown>>).map((a) => [a['provider'], a['outcome']])).toEqual([
      ['twilio', 'failed'],
      ['twilio-2', 'failed'],
    ]);
    expect(row).toMatchObject({ status: 'failed', provider: 'twilio-2', error: { providerCode: '20500' } });
    expect(row?.attempts?.map((a) => a.error?.providerCode)).toEqual(['20503', '20500']);
  });

  it('fails WhatsApp over too, from the second account\'s own sender (?whatsappFrom=)', async () => {
    first.failNext(faults.tooManyRequests(), { times: 2 });
    const { response, row } = await send('whatsapp');
    expect(response.status).toBe(200);
    expect(second.messageRequests()[0]?.fields).toMatchObject({ To: 'whatsapp:+1234567890', From: `whatsapp:${WHATSAPP_FROM_2}` });
    expect(row).toMatchObject({ channel: 'whatsapp', provider: 'twilio-2' });
    expect(row?.attempts?.map((a) => [a.provider, a.outcome])).toEqual([
      ['twilio', 'failed'],
      ['twilio-2', 'sent'],
    ]);
  });
});
