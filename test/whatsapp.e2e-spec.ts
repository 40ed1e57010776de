import { startApp, type RunningApp } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { FakeTwilio, faults } from './helpers/fake-twilio.js';
import { request } from './helpers/http.js';
import { MessageLogReader } from './helpers/message-log-reader.js';
import { bearer } from './helpers/tokens.js';

const WHATSAPP_FROM = '+14155238886';
const SID = /^SM[0-9a-f]{32}$/;
const FAST = { TWILIO_TIMEOUT_MS: '500', TWILIO_MAX_RETRIES: '2', TWILIO_RETRY_BACKOFF_MS: '20', THROTTLE_LIMIT: '100000' };

const databaseUri = testDatabaseUri('whatsapp');
let twilio: FakeTwilio;
let logs: MessageLogReader;
let app: RunningApp;
let clients = 0;
const nextClient = () => `whatsapp-client-${++clients}`;

beforeAll(async () => {
  twilio = await FakeTwilio.start();
  logs = await MessageLogReader.open(databaseUri);
  // WhatsApp only: no SMS sender, so this app also shows the channels are configured independently.
  app = await startApp({ MONGODB_URI: databaseUri, ...twilio.env(), TWILIO_WHATSAPP_FROM: WHATSAPP_FROM, ...FAST });
});
afterEach(() => twilio.reset());
afterAll(async () => {
  await app.stop();
  await logs.close();
  await twilio.stop();
  await dropTestDatabase(databaseUri);
});

const send = (body: unknown, client: string) =>
  request(`${app.url}/messaging/whatsapp`, { headers: bearer({ sub: client }), body });

describe('POST /messaging/whatsapp', () => {
  it('sends whatsapp:-prefixed To and From with the Body and answers the seed shape', async () => {
    const client = nextClient();
    const response = await send({ to: '+1234567890', body: 'Your order has been shipped!' }, client);

    expect(response.status).toBe(200);
    const [received] = twilio.messageRequests();
    expect(twilio.requestCount('any')).toBe(1);
    expect(received?.authorized).toBe(true);
    expect(received?.fields).toEqual({
      To: 'whatsapp:+1234567890',
      From: `whatsapp:${WHATSAPP_FROM}`,
      Body: 'Your order has been shipped!',
    });
    const sid = received?.response?.['sid'];
    expect(sid).toMatch(SID);
    expect(response.body).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/) as string, messageId: sid, status: 'sent', channel: 'whatsapp', to: '+1234567890' });
    expect(await logs.byRequester(client)).toEqual([
      expect.objectContaining({
        channel: 'whatsapp',
        to: '+1234567890',
        status: 'sent',
        messageId: sid,
        provider: 'twilio',
      }),
    ]);
  });

  it('sends media.url as MediaUrl (contentType and filename stay with us)', async () => {
    const media = { url: 'https://cdn.example.com/invoices/42.pdf?sig=a%2Bb', contentType: 'application/pdf', filename: 'invoice-42.pdf' };
    const response = await send({ to: '+447700900123', body: 'Your invoice', media }, nextClient());

    expect(response.status).toBe(200);
    const [received] = twilio.messageRequests();
    expect(received?.form.getAll('MediaUrl')).toEqual([media.url]);
    expect(received?.fields).toEqual({
      To: 'whatsapp:+447700900123',
      From: `whatsapp:${WHATSAPP_FROM}`,
      Body: 'Your invoice',
      MediaUrl: media.url,
    });
    expect(received?.response?.['num_media']).toBe('1');
  });

  it('accepts an http media URL with only the url field', async () => {
    const response = await send({ to: '+1234567890', body: 'pic', media: { url: 'http://images.example.org/a.png' } }, nextClient());
    expect(response.status).toBe(200);
    expect(twilio.messageRequests()[0]?.form.getAll('MediaUrl')).toEqual(['http://images.example.org/a.png']);
  });

  it.each<[string, unknown, string]>([
    ['no to', { body: 'hi' }, 'to'],
    ['to without +', { to: '1234567890', body: 'hi' }, 'to'],
    ['to with the whatsapp: prefix', { to: 'whatsapp:+1234567890', body: 'hi' }, 'to'],
    ['no body', { to: '+1234567890' }, 'body'],
    ['a blank body', { to: '+1234567890', body: '   ' }, 'body'],
    ['a 1601-character body', { to: '+1234567890', body: 'x'.repeat(1601) }, 'body'],
    ['an ftp media URL', { to: '+1234567890', body: 'hi', media: { url: 'ftp://files.example.com/a.png' } }, 'media.url'],
    ['a javascript: media URL', { to: '+1234567890', body: 'hi', media: { url: 'javascript:alert(1)' } }, 'media.url'],
    ['a file: media URL', { to: '+1234567890', body: 'hi', media: { url: 'file:///etc/passwd' } }, 'media.url'],
    ['a data: media URL', { to: '+1234567890', body: 'hi', media: { url: 'data:image/png;base64,AAAA' } }, 'media.url'],
    ['a media URL without a scheme', { to: '+1234567890', body: 'hi', media: { url: 'cdn.example.com/a.png' } }, 'media.url'],
    ['media without url', { to: '+1234567890', body: 'hi', media: { contentType: 'image/png' } }, 'media.url'],
    ['media as a string', { to: '+1234567890', body: 'hi', media: 'https://cdn.example.com/a.png' }, 'media'],
    ['media as a list', { to: '+1234567890', body: 'hi', media: [{ url: 'https://cdn.example.com/a.png' }] }, 'media'],
    [
      'an unknown media field',
      { to: '+1234567890', body: 'hi', media: { url: 'https://cdn.example.com/a.png', caption: 'x' } },
      'media.caption',
    ],
    [
      'a filename with a folder',
      { to: '+1234567890', body: 'hi', media: { url: 'https://cdn.example.com/a.png', filename: '../etc/passwd' } },
      'media.filename',
    ],
    [
      'a malformed contentType',
      { to: '+1234567890', body: 'hi', media: { url: 'https://cdn.example.com/a.png', contentType: 'png\r\nX-Evil: 1' } },
      'media.contentType',
    ],
  ])('refuses %s with 400 VALIDATION_ERROR and calls no one', async (_case, body, field) => {
    const client = nextClient();
    const response = await send(body, client);

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
    expect(JSON.stringify(response.body)).toContain(`"field":"${field}"`);
    expect(twilio.requestCount('any')).toBe(0);
    expect(await logs.byRequester(client)).toEqual([]);
  });

  it('maps a Twilio rejection to SEND_FAILED with channel whatsapp, without retrying', async () => {
    const client = nextClient();
    twilio.failNext(faults.rejection(63016, 'Failed to send freeform message because you are outside the allowed window.'));
    const response = await send({ to: '+1234567890', body: 'hi' }, client);

    expect(response.status).toBe(500);
    expect(response.body['error']).toMatchObject({
      code: 'SEND_FAILED',
      details: { channel: 'whatsapp', provider: 'twilio', providerCode: 63016 },
    });
    expect(twilio.requestCount('messages')).toBe(1);
    expect(await logs.byRequester(client)).toEqual([
      expect.objectContaining({
        channel: 'whatsapp',
        status: 'failed',
        error: expect.objectContaining({ code: 'SEND_FAILED', providerCode: '63016' }) as object,
      }),
    ]);
  });

  it('retries a 5xx like SMS does (one shared gateway)', async () => {
    twilio.failNext(faults.serverError());
    const response = await send({ to: '+1234567890', body: 'hi' }, nextClient());

    expect(response.status).toBe(200);
    expect(twilio.requestCount('messages')).toBe(2);
  });

  it('leaves SMS unconfigured when only a WhatsApp sender is set', async () => {
    const response = await request(`${app.url}/messaging/sms`, {
      headers: bearer({ sub: nextClient() }),
      body: { to: '+1234567890', body: 'hi' },
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: { code: 'PROVIDER_NOT_CONFIGURED', message: 'No sms provider is configured', details: { channel: 'sms' } },
    });
    expect(twilio.requestCount('any')).toBe(0);
  });
});
