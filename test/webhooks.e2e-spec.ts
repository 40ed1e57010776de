import { randomBytes } from 'node:crypto';
import { runAppExpectingExit, type RunningApp } from './helpers/app-process.js';
import { faults } from './helpers/fake-twilio.js';
import { request } from './helpers/http.js';
import { parseExposition, valueOf } from './helpers/prometheus-text.js';
import { testEnvironment, type TestEnvironment } from './helpers/test-environment.js';
import { bearer } from './helpers/tokens.js';
import { WebhookReceiver, type ReceivedWebhook, type WebhookPayload } from './helpers/webhook-receiver.js';

/** A Standard Webhooks secret: `whsec_` and the base64 of 32 random bytes. */
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The app's webhook variables for `receiver`, with a test-only backoff so three attempts take milliseconds. */
function webhookEnv(receiver: WebhookReceiver): Record<string, string> {
  return { WEBHOOK_URLS: `${receiver.url}/hooks/messaging`, WEBHOOK_SECRET: SECRET, WEBHOOK_BACKOFF_MS: '50', TWILIO_MAX_RETRIES: '0' };
}

/** Three attempts of one event (two answered 500, then 204), each verified, one webhook-id: the receiver dedupes to one. */
function expectDeliveredOnceAfterTwoFailures(requests: ReceivedWebhook[]): WebhookPayload {
  expect(requests.map((r) => r.answered)).toEqual([500, 500, 204]);
  expect(requests.every((r) => r.verified && r.path === '/hooks/messaging')).toBe(true);
  expect(new Set(requests.map((r) => r.id)).size).toBe(1);
  expect(requests[0]?.id).toMatch(/^msg_[A-Za-z0-9]+$/);
  const payloads = requests.map((r) => JSON.stringify(r.payload));
  expect(new Set(payloads).size).toBe(1); // the same body every time
  return requests[0]?.payload as WebhookPayload;
}

/** The app's webhook delivery counters, by outcome (GET /messaging/metrics, open on loopback). */
async function deliveryCounts(app: RunningApp): Promise<Record<'delivered' | 'retrying' | 'failed', number>> {
  const exposition = parseExposition(await (await fetch(`${app.url}/messaging/metrics`)).text());
  const count = (outcome: string) => valueOf(exposition, 'messaging_webhook_deliveries_total', { outcome });
  return { delivered: count('delivered'), retrying: count('retrying'), failed: count('failed') };
}

/** The counters once `delivered` reached `expected` (the app counts just after the receiver answered). */
async function deliveryCountsOnce(app: RunningApp, delivered: number): Promise<Record<'delivered' | 'retrying' | 'failed', number>> {
  for (let waited = 0; ; waited += 50) {
    const counts = await deliveryCounts(app);
    if (counts.delivered >= delivered || waited >= 5_000) return counts;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function sendSms(app: RunningApp, sub: string, body: Record<string, unknown>) {
  return request<{ messageId: string; status: string }>(`${app.url}/messaging/sms`, { headers: bearer({ sub }), body });
}

/** The cases both delivery paths (in-process and BullMQ) must pass. */
function sharedCases(context: () => { env: TestEnvironment; app: RunningApp; receiver: WebhookReceiver }) {
  it('an SMS send: one `sent` event, signed, delivered once after two 500s', async () => {
    const { env, app, receiver } = context();
    const before = await deliveryCounts(app);
    const sent = await sendSms(app, 'hook-sent', { to: '+15551230001', body: 'Your code is 123456' });
    expect(sent.status).toBe(200);

    const requests = await receiver.waitForDelivered((p) => p.data.messageId === sent.body.messageId);
    const payload = expectDeliveredOnceAfterTwoFailures(requests);
    expect(payload).toEqual({
      type: 'message.status',
      timestamp: expect.stringMatching(ISO_DATE) as string,
      data: {
        id: expect.stringMatching(/^[0-9a-f]{24}$/) as string,
        messageId: sent.body.messageId,
        channel: 'sms',
        to: '+15551230001',
        status: 'sent',
        previousStatus: 'pending',
        provider: 'twilio',
      },
    });
    expect(await env.logs.byId(payload.data.id)).toMatchObject({ status: 'sent', messageId: sent.body.messageId });
    expect(JSON.stringify(requests.map((r) => r.payload))).not.toContain('123456'); // no body in the event
    // messaging_webhook_deliveries_total: two attempts answered 500 (retried), then one delivered.
    expect(await deliveryCountsOnce(app, before.delivered + 1)).toEqual({
      delivered: before.delivered + 1,
      retrying: before.retrying + 2,
      failed: before.failed,
    });
  });

  it('a failed send: a `failed` event with the error', async () => {
    const { env, app, receiver } = context();
    env.twilio.failNext(faults.invalidNumber());
    const refused = await sendSms(app, 'hook-failed', { to: '+15551230002', body: 'x' });
    expect(refused.status).toBeGreaterThanOrEqual(400);

    const requests = await receiver.waitForDelivered((p) => p.data.to === '+15551230002' && p.data.status === 'failed');
    const { data } = expectDeliveredOnceAfterTwoFailures(requests);
    expect(data).toMatchObject({ status: 'failed', previousStatus: 'pending', messageId: null, provider: 'twilio' });
    expect(data.error).toMatchObject({ code: expect.any(String) as string, providerCode: '21211' });
  });
}

describe('webhooks without Redis (in-process retries)', () => {
  const env = testEnvironment({ name: 'webhooks', twilio: true });
  let receiver: WebhookReceiver;
  let app: RunningApp;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start(SECRET, { failFirst: 2 });
    app = await env.startApp(webhookEnv(receiver));
  });
  afterAll(() => receiver.stop());

  sharedCases(() => ({ env, app, receiver }));

  it("health shows the webhook's last failure, the receiver's URL without credentials", async () => {
    const health = await request<{ webhooks?: unknown }>(`${app.url}/messaging/health`);
    expect(health.body.webhooks).toEqual({
      urls: 1,
      lastFailure: { at: expect.stringMatching(ISO_DATE) as string, url: `${receiver.url}/hooks/messaging`, reason: 'HTTP 500' },
    });
  });
});

describe('webhooks with Redis (BullMQ)', () => {
  const env = testEnvironment({ name: 'webhooks-redis', twilio: true, redis: true });
  let receiver: WebhookReceiver;
  let app: RunningApp;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start(SECRET, { failFirst: 2 });
    app = await env.startApp(webhookEnv(receiver));
  });
  afterAll(() => receiver.stop());

  sharedCases(() => ({ env, app, receiver }));

  it('a cancelled scheduled message: a `cancelled` event', async () => {
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await sendSms(app, 'hook-cancelled', { to: '+15551230003', body: 'later', sendAt });
    expect(scheduled.status).toBe(202);
    const id = scheduled.body.messageId;
    const cancelled = await request(`${app.url}/messaging/messages/${id}`, { method: 'DELETE', headers: bearer({ sub: 'hook-cancelled' }) });
    expect(cancelled.status).toBe(200);

    const { data } = expectDeliveredOnceAfterTwoFailures(await receiver.waitForDelivered((p) => p.data.id === id));
    expect(data).toEqual({ id, messageId: null, channel: 'sms', to: '+15551230003', status: 'cancelled', previousStatus: 'scheduled', provider: 'twilio' });
  });

  it('every delivery went through BullMQ: none fell back to in-process retries', () => {
    expect(app.output()).not.toContain('retried in this process instead');
    expect(receiver.received.length).toBeGreaterThanOrEqual(9); // the three events above, three attempts each
  });
});

describe('webhook configuration', () => {
  it.each([
    ['not whsec_', `wh_${randomBytes(32).toString('base64')}`],
    ['too short (16 bytes)', `whsec_${randomBytes(16).toString('base64')}`],
    ['not base64', 'whsec_not*base64*at*all*not*base64*at*all'],
  ])('a WEBHOOK_SECRET %s refuses to start, naming the variable and not the value', async (_label, secret) => {
    const result = await runAppExpectingExit({ MONGODB_URI: 'mongodb://127.0.0.1:1/none', WEBHOOK_URLS: 'https://hooks.example.com/x', WEBHOOK_SECRET: secret });
    expect(result.code).toBe(1);
    expect(result.output).toContain('Configuration error: WEBHOOK_SECRET must be "whsec_" followed by the base64 of 24 to 64 random bytes');
    expect(result.output).not.toContain(secret);
  });
});
