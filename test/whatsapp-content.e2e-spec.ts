import type { RunningApp } from './helpers/app-process.js';
import { FakeTwilio, faults } from './helpers/fake-twilio.js';
import { request } from './helpers/http.js';
import { testEnvironment, TEST_SENDERS } from './helpers/test-environment.js';
import { bearer } from './helpers/tokens.js';

const CONTENT_SID = `HX${'0123456789abcdef'.repeat(2)}`;
const ROW_ID = /^[0-9a-f]{24}$/;
const SID = /^SM[0-9a-f]{32}$/;

/**
 * WhatsApp approved templates (Twilio Content API): `contentSid` and `contentVariables` in place of a body,
 * sent as ContentSid and ContentVariables, synchronously, through the queue and through failover.
 */
describe('POST /messaging/whatsapp with an approved template (contentSid)', () => {
  const environment = testEnvironment({ name: 'whatsapp-content', twilio: true, redis: true });
  let backup: FakeTwilio;
  let app: RunningApp;
  let clients = 0;
  const nextClient = () => `whatsapp-content-${++clients}`;

  beforeAll(async () => {
    backup = await FakeTwilio.start();
    const failover = `http://${backup.accountSid}:${backup.authToken}@${backup.url.replace('http://', '')}`;
    app = await environment.startApp({ TWILIO_MAX_RETRIES: '0', TWILIO_FAILOVER_URLS: failover, QUEUE_ATTEMPTS: '1' });
  });
  afterEach(() => backup.reset());
  afterAll(() => backup.stop());

  const send = (body: unknown, client: string, headers: Record<string, string> = {}) =>
    request<Record<string, unknown>>(`${app.url}/messaging/whatsapp`, { headers: { ...bearer({ sub: client }), ...headers }, body });

  it('sends ContentSid and ContentVariables (the JSON string Twilio expects) and no Body', async () => {
    const client = nextClient();
    const contentVariables = { '1': 'Alice', '2': '12 March, 10:30', note: 'Ünïcødé "quoted" {braces}' };
    const response = await send({ to: '+14155550100', contentSid: CONTENT_SID, contentVariables }, client);

    expect(response.status).toBe(200);
    const [received] = environment.twilio.messageRequests();
    expect(received?.fields).toEqual({
      To: 'whatsapp:+14155550100',
      From: `whatsapp:${TEST_SENDERS.TWILIO_WHATSAPP_FROM}`,
      ContentSid: CONTENT_SID,
      ContentVariables: JSON.stringify(contentVariables),
    });
    expect(JSON.parse(String(received?.fields['ContentVariables']))).toEqual(contentVariables);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/) as string,
      messageId: received?.response?.['sid'],
      status: 'sent',
      channel: 'whatsapp',
      to: '+14155550100',
    });
    // The row names the template and the variables' keys, never their values (they may be personal data).
    const [row] = await environment.logs.byRequester(client);
    expect(row).toMatchObject({ status: 'sent', contentSid: CONTENT_SID, contentVariableNames: ['1', '2', 'note'] });
    expect(JSON.stringify(row)).not.toContain('Alice');
    const page = await request<{ logs: unknown[] }>(`${app.url}/messaging/logs?channel=whatsapp&limit=1`, { headers: bearer() });
    expect(page.body.logs[0]).toMatchObject({ contentSid: CONTENT_SID, contentVariableNames: ['1', '2', 'note'] });
  });

  it('sends a template without variables as ContentSid alone', async () => {
    const response = await send({ to: '+14155550100', contentSid: CONTENT_SID }, nextClient());
    expect(response.status).toBe(200);
    expect(environment.twilio.messageRequests()[0]?.fields).toEqual({
      To: 'whatsapp:+14155550100',
      From: `whatsapp:${TEST_SENDERS.TWILIO_WHATSAPP_FROM}`,
      ContentSid: CONTENT_SID,
    });
  });

  const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`v${i}`, 'x']));
  // The test takes a rest parameter: with a fourth named one, Jest would pass `done` to the rows of three.
  it.each<[string, unknown, string, string?]>([
    ['body and contentSid together', { to: '+14155550100', body: 'hi', contentSid: CONTENT_SID }, 'contentSid', 'not both'],
    ['neither body nor contentSid', { to: '+14155550100' }, 'body', 'or contentSid'],
    ['contentVariables without contentSid', { to: '+14155550100', body: 'hi', contentVariables: { '1': 'a' } }, 'contentVariables'],
    ['media with contentSid', { to: '+14155550100', contentSid: CONTENT_SID, media: { url: 'https://cdn.example.com/a.png' } }, 'media'],
    ['a contentSid in upper case', { to: '+14155550100', contentSid: CONTENT_SID.toUpperCase() }, 'contentSid'],
    ['a contentSid of another resource', { to: '+14155550100', contentSid: `MG${'0'.repeat(32)}` }, 'contentSid'],
    ['a contentSid one digit short', { to: '+14155550100', contentSid: CONTENT_SID.slice(0, -1) }, 'contentSid'],
    ['51 variables', { to: '+14155550100', contentSid: CONTENT_SID, contentVariables: tooMany }, 'contentVariables'],
    ['a variable of 1,025 characters', { to: '+14155550100', contentSid: CONTENT_SID, contentVariables: { '1': 'x'.repeat(1025) } }, 'contentVariables', 'contentVariables.1 must be at most 1024'],
    ['a variable of 513 emoji (1,026 units)', { to: '+14155550100', contentSid: CONTENT_SID, contentVariables: { '1': '😀'.repeat(513) } }, 'contentVariables', 'contentVariables.1 must be at most 1024'],
    ['a number as a variable', { to: '+14155550100', contentSid: CONTENT_SID, contentVariables: { '1': 5 } }, 'contentVariables', 'contentVariables.1 must be a string'],
    ['variables as a list', { to: '+14155550100', contentSid: CONTENT_SID, contentVariables: ['a'] }, 'contentVariables'],
    ['null variables', { to: '+14155550100', contentSid: CONTENT_SID, contentVariables: null }, 'contentVariables'],
  ])('refuses %s with 400 VALIDATION_ERROR and calls no one', async (...[, body, field, message]: [string, unknown, string, string?]) => {
    const client = nextClient();
    const response = await send(body, client);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
    expect(JSON.stringify(response.body)).toContain(`"field":"${field}"`);
    if (message) expect(JSON.stringify(response.body)).toContain(message);
    expect(environment.twilio.requestCount('any')).toBe(0);
    expect(await environment.logs.byRequester(client)).toEqual([]);
  });

  it('takes 50 variables of 1,024 characters', async () => {
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`v${i}`, 'é'.repeat(1024)]));
    const response = await send({ to: '+14155550100', contentSid: CONTENT_SID, contentVariables: fifty }, nextClient());
    expect(response.status).toBe(200);
    expect(JSON.parse(String(environment.twilio.messageRequests()[0]?.fields['ContentVariables']))).toEqual(fifty);
  });

  it('answers 63016 on a free-text send with SEND_FAILED naming the fix: an approved template', async () => {
    environment.twilio.failNext(faults.rejection(63016, 'Failed to send freeform message because you are outside the allowed window.'));
    const response = await send({ to: '+14155550100', body: 'hi' }, nextClient());
    expect(response.status).toBe(500);
    const error = response.body['error'] as { code: string; message: string; details: Record<string, unknown> };
    expect(error.code).toBe('SEND_FAILED');
    expect(error.details).toMatchObject({ channel: 'whatsapp', providerCode: 63016 });
    expect(error.message).toContain('24-hour');
    expect(error.message).toContain('contentSid');
    expect(backup.requestCount('any')).toBe(0); // a permanent refusal: the failover account would say the same
  });

  it('queues a template send: 202, then the worker sends ContentSid and ContentVariables', async () => {
    const response = await send(
      { to: '+14155550101', contentSid: CONTENT_SID, contentVariables: { '1': 'Bob' } },
      nextClient(),
      { prefer: 'respond-async' },
    );
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ messageId: expect.stringMatching(ROW_ID) as string, status: 'queued', channel: 'whatsapp' });
    const row = await environment.logs.waitFor(String(response.body['messageId']), (r) => r.status === 'sent' || r.status === 'failed');
    expect(row).toMatchObject({ status: 'sent', messageId: expect.stringMatching(SID) as string, contentSid: CONTENT_SID });
    expect(environment.twilio.messageRequests()[0]?.fields).toMatchObject({ ContentSid: CONTENT_SID, ContentVariables: '{"1":"Bob"}' });
  });

  it('fails over to the next account with the same ContentSid and ContentVariables', async () => {
    environment.twilio.failNext(faults.serverError());
    const response = await send({ to: '+14155550102', contentSid: CONTENT_SID, contentVariables: { '1': 'Carol' } }, nextClient());
    expect(response.status).toBe(200);
    expect(environment.twilio.requestCount('messages')).toBe(1);
    expect(backup.messageRequests()[0]?.fields).toMatchObject({ ContentSid: CONTENT_SID, ContentVariables: '{"1":"Carol"}' });
    expect(backup.messageRequests()[0]?.fields['Body']).toBeUndefined();
  });
});
