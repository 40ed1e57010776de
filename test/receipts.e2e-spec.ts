import { createServer } from 'node:net';
import type { RunningApp } from './helpers/app-process.js';
import { FakeTwilio, faults } from './helpers/fake-twilio.js';
import { request } from './helpers/http.js';
import { testEnvironment } from './helpers/test-environment.js';
import { bearer } from './helpers/tokens.js';
import { postStatusCallback, statusFields } from './helpers/twilio-status-callbacks.js';

/** A free loopback port, so PUBLIC_BASE_URL can name the app before it starts (Twilio's view of it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

const STATUS_ROUTE = '/messaging/webhooks/twilio/status';

describe('delivery receipts: signed Twilio status callbacks', () => {
  const environment = testEnvironment({ name: 'receipts', twilio: true, redis: true });
  let app: RunningApp;
  let failover: FakeTwilio;
  let baseUrl: string;
  let phone = 0;

  beforeAll(async () => {
    failover = await FakeTwilio.start();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const failoverUrl = `http://${failover.accountSid}:${failover.authToken}@127.0.0.1:${new URL(failover.url).port}`;
    app = await environment.startApp({
      PORT: String(port),
      PUBLIC_BASE_URL: `${baseUrl}/`,
      TWILIO_MAX_RETRIES: '0',
      TWILIO_FAILOVER_URLS: failoverUrl,
    });
  });
  afterEach(() => failover.reset());
  afterAll(() => failover.stop());

  const send = async (channel: 'sms' | 'whatsapp' = 'sms', headers: Record<string, string> = {}) => {
    const to = `+1555123${String(++phone).padStart(4, '0')}`;
    const response = await request(`${app.url}/messaging/${channel}`, { headers: { ...bearer(), ...headers }, body: { to, body: 'hello' } });
    expect([200, 202]).toContain(response.status);
    return response.body;
  };
  /** A synchronous SMS: its row id (from the log) and Twilio SID. */
  const sentSms = async () => {
    const body = await send();
    const sid = String(body['messageId']);
    const id = await rowBySid(sid);
    if (id === undefined) throw new Error(`no log row for ${sid}`);
    return { sid, id };
  };
  const rowBySid = async (sid: string) => {
    const page = await request<{ logs: Array<{ _id: string; messageId?: string }> }>(`${app.url}/messaging/logs?limit=100`, { headers: bearer() });
    return page.body.logs.find((log) => log.messageId === sid)?._id;
  };
  const view = async (id: string) => (await request(`${app.url}/messaging/logs/${id}`, { headers: bearer() })).body;

  it('asks Twilio for status callbacks at PUBLIC_BASE_URL on every create, SMS and WhatsApp', async () => {
    await send('sms');
    await send('whatsapp');
    const callbacks = environment.twilio.messageRequests().map((r) => r.fields['StatusCallback']);
    expect(callbacks).toEqual([`${baseUrl}${STATUS_ROUTE}`, `${baseUrl}${STATUS_ROUTE}`]);
    expect((await request(`${app.url}/messaging/health`)).body).toMatchObject({ receipts: 'on' });
  });

  it('moves a row sent -> delivered -> read in order; the detail shows the timeline, the list does not', async () => {
    const { sid, id } = await sentSms();
    for (const status of ['queued', 'sent', 'delivered', 'read']) {
      expect((await environment.twilio.sendStatus(sid, status)).status).toBe(204);
    }
    const row = await view(id);
    expect(row).toMatchObject({ status: 'read', messageId: sid });
    expect((row['events'] as Array<{ status: string }>).map((e) => e.status)).toEqual(['delivered', 'read']);
    const list = await request<{ logs: Array<Record<string, unknown>> }>(`${app.url}/messaging/logs?status=read`, { headers: bearer() });
    const listed = list.body.logs.find((log) => log['_id'] === id);
    expect(listed).toMatchObject({ status: 'read' });
    expect(listed).not.toHaveProperty('events');
  });

  it('ignores out-of-order and duplicate callbacks: delivered before sent stays delivered', async () => {
    const { sid, id } = await sentSms();
    await environment.twilio.sendStatus(sid, 'delivered');
    for (const late of ['sent', 'delivered', 'sending', 'delivered']) {
      expect((await environment.twilio.sendStatus(sid, late)).status).toBe(204);
    }
    const row = await view(id);
    expect(row['status']).toBe('delivered');
    expect(row['events']).toHaveLength(1);
    const filtered = await request<{ logs: Array<{ _id: string }> }>(`${app.url}/messaging/logs?status=delivered`, { headers: bearer() });
    expect(filtered.body.logs.map((log) => log._id)).toContain(id);
  });

  it('records undelivered with the provider code and a readable message, and nothing moves it on', async () => {
    const { sid, id } = await sentSms();
    await environment.twilio.sendStatus(sid, 'undelivered', { errorCode: '30003' });
    await environment.twilio.sendStatus(sid, 'delivered');
    const row = await view(id);
    expect(row).toMatchObject({ status: 'undelivered', error: { providerCode: '30003', message: expect.stringContaining('unreachable') as string } });
    const filtered = await request<{ logs: Array<{ _id: string }> }>(`${app.url}/messaging/logs?status=undelivered`, { headers: bearer() });
    expect(filtered.body.logs.map((log) => log._id)).toContain(id);
  });

  it.each([
    ['a forged signature', { signature: 'Zm9yZ2VkIHNpZ25hdHVyZQ==' }],
    ['no signature', { signature: null }],
    ['a signature made for another URL', { signedUrl: `https://attacker.example${STATUS_ROUTE}` }],
    ['an unknown AccountSid', { accountSid: `AC${'9'.repeat(32)}`, authToken: 'not-a-configured-token' }],
  ])('refuses %s with 403 INVALID_SIGNATURE and changes nothing', async (_name, options) => {
    const { sid, id } = await sentSms();
    const answer = await environment.twilio.sendStatus(sid, 'delivered', options);
    expect(answer).toEqual({ status: 403, body: { error: { code: 'INVALID_SIGNATURE', message: expect.any(String) as string } } });
    expect((await view(id))['status']).toBe('sent');
  });

  it('accepts callbacks signed by a failover account for the messages it sent', async () => {
    environment.twilio.failNext(faults.serverError());
    const { sid, id } = await sentSms();
    expect(failover.messageRequests()[0]?.fields['StatusCallback']).toBe(`${baseUrl}${STATUS_ROUTE}`);
    expect((await failover.sendStatus(sid, 'delivered')).status).toBe(204);
    expect((await view(id))['status']).toBe('delivered');
  });

  it('answers 204 to an unknown MessageSid and writes nothing', async () => {
    const fields = statusFields(environment.twilio.accountSid, `SM${'0'.repeat(32)}`, 'delivered');
    const answer = await postStatusCallback(`${baseUrl}${STATUS_ROUTE}`, fields, environment.twilio.authToken);
    expect(answer.status).toBe(204);
    expect(await environment.logs.count({ messageId: `SM${'0'.repeat(32)}` })).toBe(0);
  });

  it('concurrent callbacks racing on one row never regress it', async () => {
    const { sid, id } = await sentSms();
    const statuses = ['delivered', 'sent', 'read', 'delivered', 'queued', 'read', 'delivered', 'sent', 'read', 'delivered'];
    const answers = await Promise.all(statuses.map((status) => environment.twilio.sendStatus(sid, status)));
    expect(answers.every((a) => a.status === 204)).toBe(true);
    const row = await view(id);
    expect(row['status']).toBe('read');
    const events = (row['events'] as Array<{ status: string }>).map((e) => e.status);
    expect(events.at(-1)).toBe('read');
    expect(events.length).toBeLessThanOrEqual(2);
  });

  it('follows a queued (asynchronous) send through its callbacks', async () => {
    const accepted = await send('sms', { prefer: 'respond-async' });
    const id = String(accepted['messageId']);
    const row = await environment.logs.waitFor(id, (r) => r.status === 'sent');
    const sid = String(row.messageId);
    expect(environment.twilio.messageRequests().at(-1)?.fields['StatusCallback']).toBe(`${baseUrl}${STATUS_ROUTE}`);
    await environment.twilio.sendStatus(sid, 'delivered');
    await environment.twilio.sendStatus(sid, 'read');
    expect((await view(id))['status']).toBe('read');
  });

  it('reads forms only: JSON gets 415, a body over 64 KB gets 413', async () => {
    const json = await request(`${baseUrl}${STATUS_ROUTE}`, { body: { MessageSid: 'SM1', MessageStatus: 'delivered' } });
    expect(json.status).toBe(415);
    expect(json.body).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    const big = await fetch(`${baseUrl}${STATUS_ROUTE}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x' },
      body: `Body=${'a'.repeat(65 * 1024)}`,
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('keeps the JSON API JSON-only: a form to a send route is still 415', async () => {
    const response = await fetch(`${app.url}/messaging/sms`, {
      method: 'POST',
      headers: { ...bearer(), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'to=%2B15551230000&body=hi',
    });
    expect(response.status).toBe(415);
  });
});

describe('delivery receipts off (no PUBLIC_BASE_URL)', () => {
  const environment = testEnvironment({ name: 'receipts-off', twilio: true });
  let app: RunningApp;

  beforeAll(async () => {
    app = await environment.startApp();
  });

  it('sends without StatusCallback, says so in health, and refuses every callback with 403', async () => {
    const response = await request(`${app.url}/messaging/sms`, { headers: bearer(), body: { to: '+15551239999', body: 'hi' } });
    expect(response.status).toBe(200);
    expect(environment.twilio.messageRequests()[0]?.fields).not.toHaveProperty('StatusCallback');
    expect((await request(`${app.url}/messaging/health`)).body).toMatchObject({ receipts: 'off' });
    const fields = statusFields(environment.twilio.accountSid, String(response.body['messageId']), 'delivered');
    const answer = await postStatusCallback(`${app.url}${STATUS_ROUTE}`, fields, environment.twilio.authToken);
    expect(answer).toMatchObject({ status: 403, body: { error: { code: 'INVALID_SIGNATURE' } } });
  });
});
