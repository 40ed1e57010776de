import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RunningApp } from './helpers/app-process.js';
import { faults } from './helpers/fake-twilio.js';
import { request } from './helpers/http.js';
import { testEnvironment } from './helpers/test-environment.js';
import { alternate, expectRateLimited } from './helpers/throttle-checks.js';
import { bearer } from './helpers/tokens.js';
import { WebhookReceiver } from './helpers/webhook-receiver.js';

const ASYNC = { prefer: 'respond-async' };
const SID = /^SM[0-9a-f]{32}$/;
const WEBHOOK_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const LIMIT = 4;
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The key cases of the asynchronous, batch, scheduled, webhook and rate-limit specs on a 3-master Redis Cluster
 * of this spec's own (REDIS_CLUSTER_NODES): BullMQ's scripts touch several keys at once, which a cluster
 * refuses (CROSSSLOT) unless the queue's prefix is a hash tag. The single-Redis specs cover the rest.
 * To run another whole spec on a cluster: `testEnvironment({ ..., redis: 'cluster' })`.
 */
describe('on a 3-master Redis Cluster (REDIS_CLUSTER_NODES)', () => {
  const environment = testEnvironment({ name: 'redis-cluster', smtp: true, twilio: true, redis: 'cluster' });
  /** Two instances of one deployment, so the rate limit is shared between them (each test its own subject). */
  let app: RunningApp;
  let peer: RunningApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start(WEBHOOK_SECRET, { failFirst: 1 });
    const env = {
      TWILIO_MAX_RETRIES: '0',
      QUEUE_ATTEMPTS: '3',
      QUEUE_BACKOFF_MS: '50',
      THROTTLE_LIMIT: String(LIMIT),
      WEBHOOK_URLS: `${receiver.url}/hooks`,
      WEBHOOK_SECRET,
      WEBHOOK_BACKOFF_MS: '50',
    };
    [app, peer] = await Promise.all([environment.startApp(env), environment.startApp(env)]);
  });
  afterAll(() => receiver.stop());

  const post = (sub: string, path: string, body: unknown, headers: Record<string, string> = ASYNC) =>
    request<Record<string, unknown>>(`${app.url}/messaging${path}`, { headers: { ...bearer({ sub }), ...headers }, body });
  const final = (id: string) => environment.logs.waitFor(id, (row) => row.status === 'sent' || row.status === 'failed');

  it('reports Redis and the delivery queue connected', async () => {
    const health = await request<Record<string, unknown>>(`${app.url}/messaging/health`);
    expect(health.body).toMatchObject({ status: 'healthy', redis: { status: 'connected' }, queue: { status: 'connected' } });
    // "answers again" when a slow start (a loaded machine) timed out the first slot refresh.
    expect(app.output()).toMatch(/Redis at redis-cluster:\/\/127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+ (connected|answers again)/);
  });

  it('queues an email and an SMS (Prefer: respond-async): 202, each delivered once, the SMS after a retry', async () => {
    environment.twilio.failNext(faults.serverError(503));
    const email = await post('queued', '/email', { to: 'alice@example.com', subject: 'Queued on a cluster', body: '<p>Hi</p>' });
    const sms = await post('queued', '/sms', { to: '+15551230001', body: 'code 1234' });
    expect([email.status, sms.status]).toEqual([202, 202]);

    const emailRow = await final(String(email.body.messageId));
    const smsRow = await final(String(sms.body.messageId));
    expect(emailRow).toMatchObject({ status: 'sent', provider: 'smtp' });
    expect(smsRow).toMatchObject({ status: 'sent', messageId: expect.stringMatching(SID) as string });
    const [received] = await environment.sink.waitForMessages(1);
    expect(received.mail.messageId).toBe(emailRow.messageId);
    expect(environment.sink.messages).toHaveLength(1);
    expect(environment.twilio.messageRequests().map((r) => r.outcome)).toEqual([503, 201]);
  });

  it('delivers the status webhook through its BullMQ queue, retried after a 500', async () => {
    const sms = await post('hooked', '/sms', { to: '+15551230002', body: 'hooked' });
    const id = String(sms.body.messageId);
    const requests = await receiver.waitForDelivered((payload) => payload.data.id === id && payload.data.status === 'sent');
    expect(requests.map((r) => r.answered)).toEqual([500, 204]);
  });

  it('delivers a scheduled SMS after sendAt and cancels another before its time', async () => {
    const sendAt = inMs(1_500);
    const kept = await post('scheduler', '/sms', { to: '+15551230003', body: 'on time', sendAt }, {});
    const dropped = await post('scheduler', '/sms', { to: '+15551230004', body: 'cancel me', sendAt }, {});
    expect([kept.body.status, dropped.body.status]).toEqual(['scheduled', 'scheduled']);
    const cancel = await request(`${app.url}/messaging/messages/${String(dropped.body.messageId)}`, { method: 'DELETE', headers: bearer() });
    expect(cancel.status).toBe(200);

    const row = await environment.logs.waitFor(String(kept.body.messageId), (r) => r.status === 'sent');
    expect(row.attempts?.[0]?.at.getTime()).toBeGreaterThanOrEqual(Date.parse(sendAt));
    await sleep(Date.parse(sendAt) - Date.now() + 1_000);
    expect(environment.twilio.messageRequests().map((r) => r.fields['To'])).toEqual(['+15551230003']);
    expect(await environment.logs.byId(String(dropped.body.messageId))).toMatchObject({ status: 'cancelled' });
  });

  it('queues a batch with one insertMany and one addBulk: each valid message delivered once, the invalid one reported', async () => {
    const messages = [
      { to: '+15551230101', body: 'batch 1' },
      { to: 'not a number', body: 'batch 2' },
      { to: '+15551230103', body: 'batch 3' },
    ];
    const batch = await request<{ accepted: number; rejected: number; results: { index: number; messageId?: string; error?: { code: string } }[] }>(
      `${app.url}/messaging/sms/batch`,
      { headers: bearer({ sub: 'batched' }), body: { messages } },
    );
    expect(batch.status).toBe(202);
    expect([batch.body.accepted, batch.body.rejected]).toEqual([2, 1]);
    expect(batch.body.results.find((r) => r.index === 1)?.error?.code).toBe('VALIDATION_ERROR');
    const ids = batch.body.results.flatMap((r) => (r.messageId ? [r.messageId] : []));
    for (const id of ids) expect(await final(id)).toMatchObject({ status: 'sent', messageId: expect.stringMatching(SID) as string });
    const sent = environment.twilio.messageRequests().map((r) => String(r.fields['To'])).filter((to) => to.startsWith('+1555123010'));
    expect(sent.sort()).toEqual(['+15551230101', '+15551230103']);
  });

  it('shares the rate limit between two instances on the cluster', async () => {
    const responses = await alternate([app, peer], 'cluster-throttled', LIMIT + 2);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 429, 429]);
    responses.slice(LIMIT).forEach(expectRateLimited);
  });

  it('keeps each queue in one slot under the hash tag {prefix}, and each throttle record in one slot', async () => {
    const prefix = environment.env()['REDIS_KEY_PREFIX'] ?? '';
    const keys: string[] = [];
    for (const node of environment.cluster.nodes) {
      const client = new Redis(node.portNumber, node.host);
      keys.push(...(await client.keys('*')));
      client.disconnect();
    }
    const queueKeys = keys.filter((key) => key.startsWith(`{${prefix}}:`));
    const throttleKeys = keys.filter((key) => key.startsWith(`${prefix}:throttle:{`));
    expect(queueKeys.some((key) => key.startsWith(`{${prefix}}:messaging-delivery:`))).toBe(true);
    expect(queueKeys.some((key) => key.startsWith(`{${prefix}}:messaging-webhooks:`))).toBe(true);
    expect(throttleKeys.length).toBeGreaterThan(0);
    expect(keys.filter((key) => !queueKeys.includes(key) && !throttleKeys.includes(key))).toEqual([]);

    const cluster = environment.cluster.client();
    try {
      const slotOf = async (key: string) => Number(await cluster.call('CLUSTER', 'KEYSLOT', key));
      expect(new Set(await Promise.all(queueKeys.map(slotOf))).size).toBe(1);
      for (const key of throttleKeys.filter((k) => !k.includes(':hits:'))) {
        const hits = throttleKeys.filter((k) => k.startsWith(`${key}:hits:`));
        for (const hit of hits) expect(await slotOf(hit)).toBe(await slotOf(key));
      }
    } finally {
      cluster.disconnect();
    }
  });
});
