import type { RunningApp } from './helpers/app-process.js';
import { request } from './helpers/http.js';
import { PrivateRedis } from './helpers/private-redis.js';
import { testEnvironment } from './helpers/test-environment.js';
import { bearer } from './helpers/tokens.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A batch whose jobs cannot be enqueued after its rows were written (Redis down, a Redis of the test's
 * own): nothing half-written is left waiting. Every row of the batch ends `failed` with
 * SERVICE_UNAVAILABLE, the request answers 503, and the batch goes through once Redis is back.
 */
describe('batch sends: Redis outage', () => {
  const environment = testEnvironment({ name: 'batch-outage', twilio: true });
  let redis: PrivateRedis;
  let app: RunningApp;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    app = await environment.startApp({ REDIS_URL: redis.url });
  });
  afterAll(() => redis.destroy());

  const batch = (sub: string) =>
    request<Record<string, unknown>>(`${app.url}/messaging/sms/batch`, {
      headers: bearer({ sub }),
      body: { messages: [{ to: '+15553330001', body: 'one' }, { to: '+15553330002', body: 'two' }] },
    });
  async function waitForQueue(status: 'connected' | 'disconnected'): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const queue = (await request<{ queue?: { status: string } }>(`${app.url}/messaging/health`)).body.queue;
      if (queue?.status === status) return;
      await sleep(100);
    }
    throw new Error(`queue never became ${status}`);
  }

  it('fails every row of the batch with SERVICE_UNAVAILABLE and answers 503 while Redis is down, then recovers', async () => {
    await redis.down();
    await waitForQueue('disconnected');
    const refused = await batch('outage-batch');
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ error: { code: 'SERVICE_UNAVAILABLE', message: 'The delivery queue is unavailable; nothing was sent' } });
    const rows = await environment.logs.byRequester('outage-batch');
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'failed', error: { code: 'SERVICE_UNAVAILABLE', message: 'The delivery queue was unreachable; nothing was sent' } });
    }

    await redis.up();
    await waitForQueue('connected');
    const accepted = await batch('after-batch');
    expect(accepted.status).toBe(202);
    await environment.twilio.waitForRequests(2, 'messages', 15_000);
    expect(environment.twilio.requestCount('messages')).toBe(2);
  });
});
