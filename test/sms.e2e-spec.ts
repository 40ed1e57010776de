import { startApp, type RunningApp } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { FakeTwilio, faults } from './helpers/fake-twilio.js';
import { request } from './helpers/http.js';
import { MessageLogReader } from './helpers/message-log-reader.js';
import { bearer } from './helpers/tokens.js';

const SMS_FROM = '+15005550006';
const MESSAGING_SERVICE_SID = `MG${'ab'.repeat(16)}`;
const SID = /^SM[0-9a-f]{32}$/;
/** Fast knobs so failure tests take milliseconds; the behaviour is the same as with the defaults. */
const FAST = { TWILIO_TIMEOUT_MS: '500', TWILIO_MAX_RETRIES: '2', TWILIO_RETRY_BACKOFF_MS: '20', THROTTLE_LIMIT: '100000' };

const databaseUri = testDatabaseUri('sms');
let twilio: FakeTwilio;
let logs: MessageLogReader;
let clients = 0;
/** A fresh token subject per test, so each test finds exactly its own log rows. */
const nextClient = () => `sms-client-${++clients}`;

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

describe('POST /messaging/sms with a From number', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp({ MONGODB_URI: databaseUri, ...twilio.env(), TWILIO_SMS_FROM: SMS_FROM, ...FAST });
  });
  afterAll(() => app.stop());

  const send = (body: unknown, client: string) =>
    request(`${app.url}/messaging/sms`, { headers: bearer({ sub: client }), body });

  it('sends exactly To, From and Body to Twilio and answers the seed shape with the Message SID', async () => {
    const client = nextClient();
    const response = await send({ to: '+1234567890', body: 'Your verification code is 482901' }, client);

    expect(response.status).toBe(200);
    const [received] = twilio.messageRequests();
    expect(twilio.requestCount('any')).toBe(1);
    expect(received?.authorized).toBe(true);
    expect(received?.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(received?.fields).toEqual({ To: '+1234567890', From: SMS_FROM, Body: 'Your verification code is 482901' });
    const sid = received?.response?.['sid'];
    expect(sid).toMatch(SID);
    expect(response.body).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/) as string, messageId: sid, status: 'sent', channel: 'sms', to: '+1234567890', segments: 1 });
    expect(await logs.byRequester(client)).toEqual([
      expect.objectContaining({ channel: 'sms', to: '+1234567890', status: 'sent', messageId: sid, provider: 'twilio' }),
    ]);
  });

  it('accepts the boundaries: 2 digits after +, 15 digits, a 1600-character body, newlines', async () => {
    for (const [to, body] of [
      ['+12', 'x'],
      ['+123456789012345', 'y'.repeat(1600)],
      ['+447700900123', 'line one\nline two'],
    ] as const) {
      const response = await send({ to, body }, nextClient());
      expect(response.status).toBe(200);
      expect(twilio.messageRequests().at(-1)?.fields).toMatchObject({ To: to, Body: body });
    }
  });

  it.each<[string, unknown, string]>([
    ['no to', { body: 'hi' }, 'to'],
    ['no body', { to: '+1234567890' }, 'body'],
    ['to without +', { to: '1234567890', body: 'hi' }, 'to'],
    ['to with a leading zero', { to: '+0123456789', body: 'hi' }, 'to'],
    ['to with one digit', { to: '+1', body: 'hi' }, 'to'],
    ['to with 16 digits', { to: '+1234567890123456', body: 'hi' }, 'to'],
    ['to with spaces', { to: '+1 234 567 890', body: 'hi' }, 'to'],
    ['to with a whatsapp: prefix', { to: 'whatsapp:+1234567890', body: 'hi' }, 'to'],
    ['to as a number', { to: 1234567890, body: 'hi' }, 'to'],
    ['to as a list', { to: ['+1234567890'], body: 'hi' }, 'to'],
    ['an empty body', { to: '+1234567890', body: '' }, 'body'],
    ['a blank body', { to: '+1234567890', body: ' \n\t ' }, 'body'],
    ['a 1601-character body', { to: '+1234567890', body: 'x'.repeat(1601) }, 'body'],
    ['body as an object', { to: '+1234567890', body: { $ne: '' } }, 'body'],
    ['an unknown field (from)', { to: '+1234567890', body: 'hi', from: '+15550000000' }, 'from'],
  ])('refuses %s with 400 VALIDATION_ERROR and calls no one', async (_case, body, field) => {
    const client = nextClient();
    const response = await send(body, client);

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
    expect(JSON.stringify(response.body)).toContain(`"field":"${field}"`);
    expect(twilio.requestCount('any')).toBe(0);
    expect(await logs.byRequester(client)).toEqual([]);
  });

  it('refuses a request without a token (401) and calls no one', async () => {
    const response = await request(`${app.url}/messaging/sms`, { body: { to: '+1234567890', body: 'hi' } });
    expect(response.status).toBe(401);
    expect(twilio.requestCount('any')).toBe(0);
  });

  describe('when Twilio fails', () => {
    /** Sends one SMS and returns the answer, the requests Twilio received and the log rows. */
    async function attempt() {
      const client = nextClient();
      const response = await send({ to: '+1234567890', body: 'hello' }, client);
      return { response, requests: twilio.requestCount('messages'), rows: await logs.byRequester(client) };
    }

    it('retries 5xx and succeeds with the SID of the accepted attempt', async () => {
      twilio.failNext(faults.serverError(), { times: 2 });
      const { response, requests, rows } = await attempt();

      expect(response.status).toBe(200);
      expect(requests).toBe(3);
      const sid = twilio.messageRequests()[2]?.response?.['sid'];
      expect(response.body['messageId']).toBe(sid);
      expect(rows).toEqual([expect.objectContaining({ status: 'sent', messageId: sid })]);
    });

    it('answers SEND_FAILED with Twilio code after 1 + 2 attempts of 5xx, and logs failed', async () => {
      twilio.failNext(faults.serverError(503, 20503), { times: 3 });
      const { response, requests, rows } = await attempt();

      expect(response.status).toBe(500);
      expect(response.body).toEqual({
        error: {
          code: 'SEND_FAILED',
          message: expect.stringContaining('Failed to send sms') as string,
          details: { channel: 'sms', provider: 'twilio', providerCode: 20503 },
        },
      });
      expect(requests).toBe(3);
      expect(rows).toEqual([
        expect.objectContaining({
          status: 'failed',
          provider: 'twilio',
          error: expect.objectContaining({ code: 'SEND_FAILED', providerCode: '20503' }) as object,
        }),
      ]);
      expect(rows[0]?.messageId).toBeUndefined();
    });

    it('retries 429', async () => {
      twilio.failNext(faults.tooManyRequests());
      const { response, requests, rows } = await attempt();

      expect(response.status).toBe(200);
      expect(requests).toBe(2);
      expect(rows[0]?.status).toBe('sent');
    });

    it.each([
      ['21211 invalid number', faults.invalidNumber(), 21211],
      ['21610 unsubscribed recipient', faults.unsubscribed(), 21610],
      ['20003 authentication', faults.rejection(20003, 'Authenticate', 401), 20003],
    ])('never retries a 4xx rejection (%s)', async (_case, fault, code) => {
      twilio.failNext(fault);
      const { response, requests, rows } = await attempt();

      expect(response.status).toBe(500);
      expect(response.body['error']).toMatchObject({
        code: 'SEND_FAILED',
        details: { channel: 'sms', provider: 'twilio', providerCode: code },
      });
      expect(requests).toBe(1);
      expect(rows).toEqual([
        expect.objectContaining({ status: 'failed', error: expect.objectContaining({ providerCode: String(code) }) as object }),
      ]);
    });

    it('shows Twilio reason in the message', async () => {
      twilio.failNext(faults.invalidNumber());
      const { response } = await attempt();
      expect((response.body['error'] as { message: string }).message).toBe(
        "Failed to send sms: The 'To' number is not a valid phone number.",
      );
    });

    it('retries a dropped connection', async () => {
      twilio.failNext(faults.drop());
      const { response, requests, rows } = await attempt();

      expect(response.status).toBe(200);
      expect(requests).toBe(2);
      expect(rows[0]?.status).toBe('sent');
    });

    it('gives up on connections dropped every time, without a provider code', async () => {
      twilio.failNext(faults.drop(), { times: 3 });
      const { response, requests, rows } = await attempt();

      expect(response.status).toBe(500);
      expect(response.body['error']).toMatchObject({ code: 'SEND_FAILED', details: { channel: 'sms', provider: 'twilio' } });
      expect(response.body['error']).not.toHaveProperty('details.providerCode');
      expect(requests).toBe(3);
      expect(rows).toEqual([expect.objectContaining({ status: 'failed', error: expect.objectContaining({ code: 'SEND_FAILED' }) as object })]);
    });

    it('times out a slow Twilio once, without retrying (it may have accepted the message)', async () => {
      twilio.failNext(faults.slow(5_000));
      const { response, requests, rows } = await attempt();

      expect(response.status).toBe(500);
      expect(response.body['error']).toMatchObject({ code: 'SEND_FAILED', details: { channel: 'sms', provider: 'twilio' } });
      expect((response.body['error'] as { message: string }).message).toMatch(/did not answer/);
      expect(requests).toBe(1);
      expect(rows).toEqual([expect.objectContaining({ status: 'failed' })]);
    });
  });
});

describe('POST /messaging/sms with a Messaging Service', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp({
      MONGODB_URI: databaseUri,
      ...twilio.env(),
      TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID,
      TWILIO_SMS_FROM: SMS_FROM,
      ...FAST,
    });
  });
  afterAll(() => app.stop());

  it('sends MessagingServiceSid instead of From', async () => {
    const client = nextClient();
    const response = await request(`${app.url}/messaging/sms`, {
      headers: bearer({ sub: client }),
      body: { to: '+1234567890', body: 'via service' },
    });

    expect(response.status).toBe(200);
    expect(twilio.messageRequests().map((r) => r.fields)).toEqual([
      { To: '+1234567890', MessagingServiceSid: MESSAGING_SERVICE_SID, Body: 'via service' },
    ]);
    expect(response.body['messageId']).toMatch(SID);
    expect(await logs.byRequester(client)).toEqual([expect.objectContaining({ status: 'sent', provider: 'twilio' })]);
  });
});
