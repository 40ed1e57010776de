import { createServer } from 'node:net';
import { startApp, type RunningApp } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { FakeTwilio, faults } from './helpers/fake-twilio.js';
import { request } from './helpers/http.js';
import { MessageLogReader } from './helpers/message-log-reader.js';
import { SmtpSink } from './helpers/smtp-sink.js';
import { bearer } from './helpers/tokens.js';

/** Twilio configuration as the app sees it, and provider health. */

const SENDERS = { TWILIO_SMS_FROM: '+15005550006', TWILIO_WHATSAPP_FROM: '+14155238886' };
const FAST = { TWILIO_TIMEOUT_MS: '500', TWILIO_RETRY_BACKOFF_MS: '20', THROTTLE_LIMIT: '100000' };
const databaseUri = testDatabaseUri('twilio_health');
let twilio: FakeTwilio;
let logs: MessageLogReader;
let clients = 0;
const nextClient = () => `twilio-health-client-${++clients}`;

beforeAll(async () => {
  twilio = await FakeTwilio.start();
  logs = await MessageLogReader.open(databaseUri);
});
afterEach(() => twilio.reset());
afterAll(async () => {
  await logs.close();
  await twilio.stop();
  await dropTestDatabase(databaseUri);
});

/** Starts an app for one describe block and stops it afterwards. */
function appWith(env: () => Record<string, string>): () => RunningApp {
  let app: RunningApp | undefined;
  beforeAll(async () => {
    app = await startApp({ MONGODB_URI: databaseUri, ...FAST, ...env() });
  });
  afterAll(() => app?.stop());
  return () => {
    if (!app) throw new Error('app not started');
    return app;
  };
}

const health = (app: RunningApp) => request(`${app.url}/messaging/health`);
const sendSms = (app: RunningApp, client = nextClient()) =>
  request(`${app.url}/messaging/sms`, { headers: bearer({ sub: client }), body: { to: '+1234567890', body: 'hi' } });
const sendWhatsApp = (app: RunningApp) =>
  request(`${app.url}/messaging/whatsapp`, { headers: bearer({ sub: nextClient() }), body: { to: '+1234567890', body: 'hi' } });

describe('without any Twilio configuration (email configured)', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await SmtpSink.start();
  });
  afterAll(() => sink.stop());
  const app = appWith(() => ({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(sink.port), EMAIL_FROM: 'app@example.com' }));

  it('answers 400 PROVIDER_NOT_CONFIGURED for SMS and WhatsApp, and writes no log row', async () => {
    const client = nextClient();
    const sms = await sendSms(app(), client);
    const whatsapp = await sendWhatsApp(app());

    expect(sms.status).toBe(400);
    expect(sms.body).toEqual({
      error: { code: 'PROVIDER_NOT_CONFIGURED', message: 'No sms provider is configured', details: { channel: 'sms' } },
    });
    expect(whatsapp.status).toBe(400);
    expect(whatsapp.body).toMatchObject({ error: { code: 'PROVIDER_NOT_CONFIGURED', details: { channel: 'whatsapp' } } });
    expect(await logs.byRequester(client)).toEqual([]);
  });

  it('keeps email working', async () => {
    const response = await request(`${app().url}/messaging/email`, {
      headers: bearer({ sub: nextClient() }),
      body: { to: 'user@example.com', subject: 'Hello', body: '<p>Still here</p>' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'sent', channel: 'email', to: 'user@example.com' });
    const [received] = await sink.waitForMessages(1);
    expect(received?.envelope.to).toEqual(['user@example.com']);
  });

  it('validates before anything else: a bad body is still VALIDATION_ERROR', async () => {
    const response = await request(`${app().url}/messaging/sms`, { headers: bearer(), body: { to: 'nope' } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
  });

  it('reports both channels not_configured', async () => {
    const response = await health(app());
    expect(response.body).toMatchObject({
      providers: {
        sms: { provider: 'twilio', status: 'not_configured' },
        whatsapp: { provider: 'twilio', status: 'not_configured' },
      },
    });
  });
});

describe('with credentials but no sender', () => {
  const app = appWith(() => twilio.env());

  it('answers PROVIDER_NOT_CONFIGURED for both channels and never calls Twilio', async () => {
    expect((await sendSms(app())).body).toMatchObject({ error: { code: 'PROVIDER_NOT_CONFIGURED', details: { channel: 'sms' } } });
    expect((await sendWhatsApp(app())).body).toMatchObject({
      error: { code: 'PROVIDER_NOT_CONFIGURED', details: { channel: 'whatsapp' } },
    });
    expect(twilio.requestCount('any')).toBe(0);
  });
});

describe('health with good credentials', () => {
  const app = appWith(() => ({ ...twilio.env(), ...SENDERS }));

  it('reads connected after an authenticated fetch of the account resource', async () => {
    const response = await health(app());

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'healthy',
      providers: {
        sms: { provider: 'twilio', status: 'connected' },
        whatsapp: { provider: 'twilio', status: 'connected' },
      },
    });
    const fetches = twilio.requests.filter((r) => r.route === 'account');
    expect(fetches.length).toBeGreaterThanOrEqual(1);
    expect(fetches.every((r) => r.method === 'GET' && r.authorized && r.outcome === 200)).toBe(true);
    expect(fetches[0]?.path).toBe(`/2010-04-01/Accounts/${twilio.accountSid}.json`);
  });
});

describe('health with a slow Twilio', () => {
  const app = appWith(() => ({ ...twilio.env(), ...SENDERS }));

  it('reads disconnected once the timeout passes, instead of hanging', async () => {
    twilio.failNext(faults.slow(Infinity), { route: 'account', times: 2 });
    const response = await health(app());

    expect(response.body).toMatchObject({
      status: 'degraded',
      providers: { sms: { status: 'disconnected' }, whatsapp: { status: 'disconnected' } },
    });
    expect(twilio.requestCount('account')).toBeGreaterThanOrEqual(1);
  });
});

describe('with wrong credentials', () => {
  const app = appWith(() => ({ ...twilio.env(), TWILIO_AUTH_TOKEN: 'not-the-token', ...SENDERS }));

  it('reads disconnected in health (degraded, still 200)', async () => {
    const response = await health(app());

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'degraded',
      providers: {
        sms: { provider: 'twilio', status: 'disconnected' },
        whatsapp: { provider: 'twilio', status: 'disconnected' },
      },
    });
    const fetches = twilio.requests.filter((r) => r.route === 'account');
    expect(fetches.length).toBeGreaterThanOrEqual(1);
    expect(fetches.every((r) => !r.authorized && r.outcome === 401)).toBe(true);
  });

  it('fails a send with Twilio 20003, once, and logs it failed', async () => {
    const client = nextClient();
    const response = await sendSms(app(), client);

    expect(response.status).toBe(500);
    expect(response.body['error']).toMatchObject({
      code: 'SEND_FAILED',
      details: { channel: 'sms', provider: 'twilio', providerCode: 20003 },
    });
    expect(JSON.stringify(response.body)).not.toContain('not-the-token');
    expect(twilio.requestCount('messages')).toBe(1);
    expect(await logs.byRequester(client)).toEqual([
      expect.objectContaining({ status: 'failed', error: expect.objectContaining({ providerCode: '20003' }) as object }),
    ]);
  });
});

describe('with Twilio unreachable', () => {
  let closedPort = 0;
  beforeAll(async () => {
    // A port that was free a moment ago and has no listener now: connections are refused.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    closedPort = typeof address === 'object' && address ? address.port : 0;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const app = appWith(() => ({ ...twilio.env(), TWILIO_API_BASE_URL: `http://127.0.0.1:${closedPort}`, ...SENDERS }));

  it('fails the send with SEND_FAILED and no provider code, and health reads disconnected', async () => {
    const response = await sendSms(app());
    expect(response.status).toBe(500);
    expect(response.body['error']).toEqual({
      code: 'SEND_FAILED',
      message: 'Failed to send sms: could not reach Twilio (ECONNREFUSED)',
      details: { channel: 'sms', provider: 'twilio' },
    });
    expect((await health(app())).body).toMatchObject({ providers: { sms: { status: 'disconnected' } } });
  });
});
