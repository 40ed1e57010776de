import { Redis } from 'ioredis';
import { startApp, type RunningApp } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { request } from './helpers/http.js';
import { MessageLogReader } from './helpers/message-log-reader.js';
import { PrivateRedis, uniqueKeyPrefix } from './helpers/private-redis.js';
import { SmtpSink } from './helpers/smtp-sink.js';
import { bearer } from './helpers/tokens.js';
import { alternate, expectRateLimited, untilPrinted } from './helpers/throttle-checks.js';

/** The rate limiter's outage warning (the delivery queue, also on this Redis, warns in its own words). */
const THROTTLE_OUTAGE_WARNING = 'rate limits are counted by each instance alone until it answers';

/** Small, so a test can exhaust it; the window (THROTTLE_TTL_MS, 60 s) outlasts every test. */
const LIMIT = 4;
const FROM = 'FluxKit Tests <no-reply@fluxkit.test>';

type Health = { status: string; database: { status: string }; redis?: { status: string } };

function occurrences(text: string, fragment: string): number {
  return text.split(fragment).length - 1;
}

describe('Rate limits shared across instances through Redis (REDIS_URL)', () => {
  const database = testDatabaseUri('shared-throttle');
  const keyPrefix = uniqueKeyPrefix('shared-throttle');
  let redis: PrivateRedis;
  let sink: SmtpSink;
  let reader: MessageLogReader;
  let pair: RunningApp[] = [];

  const baseEnv = () => ({ MONGODB_URI: database, THROTTLE_LIMIT: String(LIMIT) });

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    sink = await SmtpSink.start();
    reader = await MessageLogReader.open(database);
    const env = {
      ...baseEnv(),
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: keyPrefix,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(sink.port),
      EMAIL_FROM: FROM,
    };
    pair = await Promise.all([startApp(env), startApp(env)]);
    await untilPrinted(pair, /Redis at redis:\/\/127\.0\.0\.1:\d+ connected: rate limits are shared across instances/);
  });
  afterAll(async () => {
    await Promise.all(pair.map((app) => app.stop()));
    await redis.destroy();
    await sink.stop();
    await reader.close();
    await dropTestDatabase(database);
  });

  it('lets exactly THROTTLE_LIMIT requests through across both instances, then 429 from either', async () => {
    for (const app of pair) {
      const health = await request<Health>(`${app.url}/messaging/health`);
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'healthy', database: { status: 'connected' }, redis: { status: 'connected' } });
    }

    const responses = await alternate(pair, 'shared-client', LIMIT + 2);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 429, 429]);
    // The remaining budget goes down across instances: one counter.
    expect(responses.slice(0, LIMIT).map((r) => r.headers.get('x-ratelimit-remaining'))).toEqual(['3', '2', '1', '0']);
    responses.slice(LIMIT).forEach(expectRateLimited);

    const inspector = new Redis(redis.url);
    try {
      // Throttle counters (and the delivery queue's BullMQ keys) all live under the deployment's prefix.
      const keys = await inspector.keys('*');
      expect(keys.filter((key) => key.startsWith(`${keyPrefix}:throttle:`)).length).toBeGreaterThan(0);
      expect(keys.filter((key) => !key.startsWith(`${keyPrefix}:`))).toEqual([]);
    } finally {
      inspector.disconnect();
    }
  });

  it('without REDIS_URL, the same two instances each allow THROTTLE_LIMIT (the sharing is what limits)', async () => {
    const alone = await Promise.all([startApp(baseEnv()), startApp(baseEnv())]);
    try {
      const [first, second] = alone;
      const onFirst = await alternate([first], 'alone-client', LIMIT + 1);
      const onSecond = await alternate([second], 'alone-client', LIMIT + 1);
      for (const responses of [onFirst, onSecond]) {
        expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 429]);
        expectRateLimited(responses[LIMIT]);
      }
      const health = await request<Health>(`${first.url}/messaging/health`);
      expect(health.body.redis).toBeUndefined();
    } finally {
      await Promise.all(alone.map((app) => app.stop()));
    }
  });

  describe('when Redis goes away', () => {
    beforeAll(async () => {
      await redis.down();
      await untilPrinted(pair, /Redis at redis:\/\/127\.0\.0\.1:\d+ is unreachable \(.+\): rate limits are counted by each instance alone until it answers/);
    });

    it('reports redis disconnected and the service degraded (HTTP 200), never unhealthy', async () => {
      for (const app of pair) {
        const health = await request<Health>(`${app.url}/messaging/health`);
        expect(health.status).toBe(200);
        expect(health.body).toMatchObject({ status: 'degraded', database: { status: 'connected' }, redis: { status: 'disconnected' } });
      }
    });

    it('still sends synchronously: 200, delivered, logged as sent', async () => {
      const response = await request<Record<string, unknown>>(`${pair[0].url}/messaging/email`, {
        headers: bearer({ sub: 'outage-mailer' }),
        body: { to: 'alice@example.com', subject: 'Sent while Redis is down', body: '<p>Still here.</p>' },
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'sent', channel: 'email', to: 'alice@example.com' });
      const [received] = await sink.waitForMessages(1);
      expect(received.mail.subject).toBe('Sent while Redis is down');
      const [row] = await reader.byRequester('outage-mailer');
      expect(row).toMatchObject({ channel: 'email', status: 'sent', messageId: response.body.messageId });
    });

    it('still enforces the limit on each instance alone, and warns once per instance', async () => {
      const onFirst = await alternate([pair[0]], 'outage-client', LIMIT + 2);
      const onSecond = await alternate([pair[1]], 'outage-client', LIMIT + 1);
      expect(onFirst.map((r) => r.status)).toEqual([200, 200, 200, 200, 429, 429]);
      expect(onSecond.map((r) => r.status)).toEqual([200, 200, 200, 200, 429]);
      [...onFirst.slice(LIMIT), onSecond[LIMIT]].forEach(expectRateLimited);

      for (const app of pair) {
        expect(occurrences(app.output(), THROTTLE_OUTAGE_WARNING)).toBe(1);
        expect(app.output()).not.toContain('Unhandled error event');
      }
    });
  });

  describe('when Redis is back', () => {
    beforeAll(async () => {
      await redis.up();
      await untilPrinted(pair, /Redis at redis:\/\/127\.0\.0\.1:\d+ answers again: rate limits are shared across instances again/);
    });

    it('shares the limit again without a restart', async () => {
      for (const app of pair) {
        const health = await request<Health>(`${app.url}/messaging/health`);
        expect(health.body).toMatchObject({ status: 'healthy', redis: { status: 'connected' } });
      }
      const responses = await alternate(pair, 'back-client', LIMIT + 2);
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 429, 429]);
      responses.slice(LIMIT).forEach(expectRateLimited);
      for (const app of pair) expect(occurrences(app.output(), 'answers again')).toBe(1);
    });

    it('exits 0 on SIGTERM, closing the Redis connection without an outage warning', async () => {
      const second = pair[1];
      expect(await second.stop()).toBe(0);
      expect(occurrences(second.output(), THROTTLE_OUTAGE_WARNING)).toBe(1); // the real outage only
    });
  });
});
