import { runAppExpectingExit, startApp, type RunningApp } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { FakeTwilio } from './helpers/fake-twilio.js';
import { request } from './helpers/http.js';
import { MessageLogReader } from './helpers/message-log-reader.js';
import { SmtpSink, unusedPort } from './helpers/smtp-sink.js';
import { bearer } from './helpers/tokens.js';
import { loopbackCertificate, type LoopbackCertificate } from './helpers/tls-certificate.js';

const FROM = 'FluxKit Tests <no-reply@fluxkit.test>';
const SMS_FROM = '+15005550006';
const WHATSAPP_FROM = '+14155238886';
/** The relay's password: reserved characters, percent-encoded in the URL. */
const RELAY_SECRET = 'relay-p@ss,w0rd/secret';
const WRONG_RELAY_SECRET = 'wrong-relay-secret';
const WRONG_TOKEN = 'wrong-token-secret';

const database = testDatabaseUri('failover_health');
/** `http://SID:TOKEN@127.0.0.1:PORT`: a Twilio failover URL pointing at a fake. */
const withCredentials = (fake: FakeTwilio, token = fake.authToken) => fake.url.replace('http://', `http://${fake.accountSid}:${token}@`);

afterAll(() => dropTestDatabase(database));

describe('health lists every provider; the primaries answer, failover ones do or do not', () => {
  let sink: SmtpSink;
  let first: FakeTwilio;
  let second: FakeTwilio;
  let app: RunningApp;
  beforeAll(async () => {
    [sink, first, second] = await Promise.all([SmtpSink.start(), FakeTwilio.start(), FakeTwilio.start()]);
    app = await startApp({
      MONGODB_URI: database,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(sink.port),
      EMAIL_FROM: FROM,
      SMTP_FAILOVER_URLS: `smtp://127.0.0.1:${await unusedPort()}`,
      ...first.env(),
      TWILIO_SMS_FROM: SMS_FROM,
      TWILIO_WHATSAPP_FROM: WHATSAPP_FROM,
      TWILIO_FAILOVER_URLS: withCredentials(second),
    });
  });
  afterAll(async () => {
    await app.stop();
    await Promise.all([sink.stop(), first.stop(), second.stop()]);
  });

  it('keeps the seed fields for the primary, adds failover and channelStatus, and is degraded with one down', async () => {
    const response = await request(`${app.url}/messaging/health`);
    expect(response.status).toBe(200);
    const bothUp = {
      provider: 'twilio',
      status: 'connected',
      failover: [{ provider: 'twilio-2', status: 'connected' }],
      channelStatus: 'connected',
    };
    expect(response.body).toEqual({
      status: 'degraded',
      providers: {
        email: { provider: 'smtp', status: 'connected', failover: [{ provider: 'smtp-2', status: 'disconnected' }], channelStatus: 'connected' },
        sms: bothUp,
        whatsapp: bothUp,
      },
      database: { status: 'connected' },
      receipts: 'off',
    });
    expect(second.requestCount('account')).toBeGreaterThan(0);
  });
});

describe('secrets of failover providers', () => {
  let certificate: LoopbackCertificate;
  let sink: SmtpSink;
  let twilio: FakeTwilio;
  let logs: MessageLogReader;
  let app: RunningApp;
  beforeAll(async () => {
    certificate = loopbackCertificate('failover');

    const tls = { key: certificate.key, cert: certificate.cert };
    sink = await SmtpSink.start({ tls, auth: { user: 'mailer', pass: RELAY_SECRET } });
    twilio = await FakeTwilio.start();
    logs = await MessageLogReader.open(database);
    const relay = (secret: string) => `smtp://mailer:${encodeURIComponent(secret)}@127.0.0.1:${sink.port}`;
    app = await startApp({
      MONGODB_URI: database,
      NODE_EXTRA_CA_CERTS: certificate.certPath,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(await unusedPort()),
      EMAIL_FROM: FROM,
      SMTP_FAILOVER_URLS: `${relay(WRONG_RELAY_SECRET)},${relay(RELAY_SECRET)}`,
      ...twilio.env(),
      TWILIO_API_BASE_URL: `http://127.0.0.1:${await unusedPort()}`,
      TWILIO_SMS_FROM: SMS_FROM,
      TWILIO_FAILOVER_URLS: `${withCredentials(twilio, WRONG_TOKEN)},${withCredentials(twilio)}`,
      TWILIO_MAX_RETRIES: '0',
    });
  });
  afterAll(async () => {
    await app.stop();
    await logs.close();
    await Promise.all([sink.stop(), twilio.stop()]);
    certificate.remove();
  });

  it('uses the credentials of each URL: a refused login moves on to the next relay or account', async () => {
    const email = await request(`${app.url}/messaging/email`, {
      headers: bearer({ sub: 'secrets' }),
      body: { to: 'ada@example.com', subject: 'Secrets', body: '<p>Hi</p>' },
    });
    expect(email.status).toBe(200);
    const [received] = await sink.waitForMessages(1);
    expect([received?.secure, received?.user]).toEqual([true, 'mailer']);

    const sms = await request(`${app.url}/messaging/sms`, { headers: bearer({ sub: 'secrets' }), body: { to: '+1234567890', body: 'hi' } });
    expect(sms.status).toBe(200);
    expect(twilio.messageRequests().map((r) => r.authorized)).toEqual([false, true]);

    const rows = await logs.byRequester('secrets');
    expect(rows.map((row) => [row.provider, row.attempts?.map((a) => `${a.provider}:${a.outcome}`)])).toEqual([
      ['smtp-3', ['smtp:failed', 'smtp-2:failed', 'smtp-3:sent']],
      ['twilio-3', ['twilio:failed', 'twilio-2:failed', 'twilio-3:sent']],
    ]);
    expect(rows[0]?.attempts?.[1]?.error?.message).toBe('Failed to send email: the SMTP server refused the login (535)');
    expect(rows[1]?.attempts?.[1]?.error?.providerCode).toBe('20003');
  });

  it('shows every provider in health, and no password or token anywhere', async () => {
    const health = await request(`${app.url}/messaging/health`);
    expect(health.body).toMatchObject({
      status: 'degraded',
      providers: {
        email: { provider: 'smtp', status: 'disconnected', failover: [{ provider: 'smtp-2', status: 'disconnected' }, { provider: 'smtp-3', status: 'connected' }], channelStatus: 'connected' },
        sms: { provider: 'twilio', status: 'disconnected', failover: [{ provider: 'twilio-2', status: 'disconnected' }, { provider: 'twilio-3', status: 'connected' }], channelStatus: 'connected' },
      },
    });
    sink.rejectRecipient('nobody@example.com', 550);
    const failed = await request<{ error: { details: { attempts: unknown[] } } }>(`${app.url}/messaging/email`, {
      headers: bearer({ sub: 'secrets-2' }),
      body: { to: 'nobody@example.com', subject: 'Refused', body: '<p>x</p>' },
    });
    expect(failed.status).toBe(500);
    expect(failed.body.error.details.attempts).toHaveLength(3);
    const logsPage = await request(`${app.url}/messaging/logs`, { headers: bearer() });
    const rows = await logs.byRequester('secrets');
    const everything = [JSON.stringify(health.body), JSON.stringify(failed.body), JSON.stringify(logsPage.body), JSON.stringify(rows), app.output()].join('\n');
    for (const secret of [RELAY_SECRET, encodeURIComponent(RELAY_SECRET), WRONG_RELAY_SECRET, twilio.authToken, WRONG_TOKEN]) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe('a malformed failover URL', () => {
  it('stops the app with a ConfigError naming the variable, without echoing the password', async () => {
    const exited = await runAppExpectingExit({
      MONGODB_URI: database,
      SMTP_HOST: '127.0.0.1',
      EMAIL_FROM: FROM,
      SMTP_FAILOVER_URLS: `smtp://mailer:${WRONG_RELAY_SECRET}@127.0.0.1/inbox`,
    });
    expect(exited.code).toBe(1);
    expect(exited.output).toContain('Configuration error: SMTP_FAILOVER_URLS entry 1');
    expect(exited.output).not.toContain(WRONG_RELAY_SECRET);
  });
});
