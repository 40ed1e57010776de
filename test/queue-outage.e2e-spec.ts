import type { RunningApp } from './helpers/app-process.js';
import { testEnvironment } from './helpers/test-environment.js';
import { request } from './helpers/http.js';
import { PrivateRedis } from './helpers/private-redis.js';
import { bearer } from './helpers/tokens.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Redis going away and coming back, with a Redis of the test's own. While it
 * is down, asynchronous sends answer 503 (their row ends `failed`, nothing
 * is sent), synchronous sends keep working and health says `degraded`; once
 * it is back, asynchronous sends work again without a restart.
 */
describe('Redis outage', () => {
  const environment = testEnvironment({ name: 'queue-outage', twilio: true });
  let redis: PrivateRedis;
  let app: RunningApp;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    app = await environment.startApp({ REDIS_URL: redis.url });
  });
  afterAll(() => redis.destroy());

  const sms = (sub: string, to: string, headers: Record<string, string> = { prefer: 'respond-async' }, extra = {}) =>
    request<Record<string, unknown>>(`${app.url}/messaging/sms`, { headers: { ...bearer({ sub }), ...headers }, body: { to, body: 'hi', ...extra } });
  const health = () => request<Record<string, unknown>>(`${app.url}/messaging/health`);
  async function waitForQueue(status: 'connected' | 'disconnected'): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const queue = (await health()).body.queue as { status: string } | undefined;
      if (queue?.status === status) return;
      await sleep(100);
    }
    throw new Error(`queue never became ${status}`);
  }

  it('answers 503 to asynchronous sends while Redis is down, keeps synchronous sends working, and recovers', async () => {
    const before = await sms('outage-before', '+15551237001');
    expect(before.status).toBe(202);
    await environment.logs.waitFor(String(before.body.messageId), (row) => row.status === 'sent');
    const scheduledBefore = await sms('outage-before', '+15551237002', {}, { sendAt: new Date(Date.now() + 60_000).toISOString() });
    expect(scheduledBefore.status).toBe(202);

    await redis.down();
    await waitForQueue('disconnected');

    const refused = await sms('outage-async', '+15551237003');
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ error: { code: 'SERVICE_UNAVAILABLE', message: 'The delivery queue is unavailable; nothing was sent' } });
    const refusedLater = await sms('outage-async', '+15551237004', {}, { sendAt: new Date(Date.now() + 60_000).toISOString() });
    expect(refusedLater.status).toBe(503);
    const rows = await environment.logs.byRequester('outage-async');
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'failed', error: { code: 'SERVICE_UNAVAILABLE', message: 'The delivery queue was unreachable; nothing was sent' } });
    }

    const synchronous = await sms('outage-sync', '+15551237005', {});
    expect(synchronous.status).toBe(200);
    expect(synchronous.body).toMatchObject({ status: 'sent' });
    const report = await health();
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ status: 'degraded', database: { status: 'connected' }, queue: { status: 'disconnected' } });

    // The log decides a cancellation, so it works without Redis too.
    const cancelled = await request(`${app.url}/messaging/messages/${String(scheduledBefore.body.messageId)}`, { method: 'DELETE', headers: bearer() });
    expect(cancelled.status).toBe(200);
    expect(environment.twilio.messageRequests().map((r) => r.fields['To'])).toEqual(['+15551237001', '+15551237005']);

    await redis.up();
    await waitForQueue('connected');
    const after = await sms('outage-after', '+15551237006');
    expect(after.status).toBe(202);
    expect(await environment.logs.waitFor(String(after.body.messageId), (row) => row.status === 'sent')).toMatchObject({ status: 'sent' });
    expect((await health()).body).toMatchObject({ status: 'healthy', queue: { status: 'connected' } });
  });

  it('starts while Redis is down, works once it is up, and shuts down cleanly while it is down', async () => {
    await redis.down();
    const second = await environment.startApp({ REDIS_URL: redis.url, THROTTLE_LIMIT: undefined });
    try {
      const refused = await request(`${second.url}/messaging/sms`, {
        headers: { ...bearer({ sub: 'late-redis' }), prefer: 'respond-async' },
        body: { to: '+15551237007', body: 'x' },
      });
      expect(refused.status).toBe(503);
      await redis.up();
      let accepted: Awaited<ReturnType<typeof sms>> | undefined;
      for (let i = 0; i < 100 && accepted?.status !== 202; i++) {
        await sleep(100);
        accepted = await request(`${second.url}/messaging/sms`, {
          headers: { ...bearer({ sub: 'late-redis' }), prefer: 'respond-async' },
          body: { to: '+15551237008', body: 'y' },
        });
      }
      expect(accepted?.status).toBe(202);
      await environment.logs.waitFor(String(accepted?.body.messageId), (row) => row.status === 'sent');
      await redis.down();
    } finally {
      expect(await second.stop('SIGTERM')).toBe(0);
    }
  });
});
