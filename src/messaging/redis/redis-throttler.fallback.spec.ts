import { jest } from '@jest/globals';
import { createServer, type AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { PrivateRedis, uniqueKeyPrefix } from '../../../test/helpers/private-redis.js';
import { eventually, RecordingLogger, RecordingStorage, sleep, waitReady } from '../../../test/helpers/redis-storage-support.js';
import { RedisConnection } from './redis-connection.js';
import { FAILED_COMMAND_PAUSE_MS, RedisThrottlerStorage } from './redis-throttler.storage.js';

const MINUTE = 60_000;

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Redis going away must never fail a request: the in-process storage counts meanwhile. */
describe('RedisThrottlerStorage when Redis is unreachable', () => {
  it('counts in the fallback from the start when Redis is down at boot, warns once, without the password', async () => {
    const logger = new RecordingLogger();
    const fallback = new RecordingStorage();
    const connection = new RedisConnection({ url: `redis://:s3cret-pass@127.0.0.1:${await closedPort()}/2` }, logger);
    const storage = new RedisThrottlerStorage(connection, fallback);
    try {
      await eventually(() => logger.warnings.length > 0, 'the outage warning');
      for (let i = 0; i < 5; i++) await storage.increment('k', MINUTE, 3, MINUTE, 'default');
      await sleep(1_500); // a few reconnection attempts, each failing
      expect(fallback.calls).toHaveLength(5);
      expect(await connection.ping()).toBe(false);
      expect(logger.warnings).toHaveLength(1);
      expect(logger.warnings[0]).toMatch(/^Redis at redis:\/\/127\.0\.0\.1:\d+\/2 is unreachable \(.*ECONNREFUSED.*\): rate limits are counted by each instance alone until it answers$/);
      expect(logger.warnings[0]).not.toContain('s3cret');
    } finally {
      await connection.onApplicationShutdown();
    }
  });

  describe('on a Redis that stops and restarts', () => {
    let redis: PrivateRedis;
    let logger: RecordingLogger;
    let fallback: RecordingStorage;
    let connection: RedisConnection;
    let storage: RedisThrottlerStorage;

    beforeEach(async () => {
      redis = await PrivateRedis.start();
      logger = new RecordingLogger();
      fallback = new RecordingStorage();
      connection = new RedisConnection({ url: redis.url, keyPrefix: uniqueKeyPrefix('throttle-fallback') }, logger);
      storage = new RedisThrottlerStorage(connection, fallback);
      await waitReady(connection);
    });
    afterEach(async () => {
      await connection.onApplicationShutdown();
      await redis.destroy();
    });

    it('falls back while Redis is down and goes back to Redis once it answers, logging each change once', async () => {
      expect(await storage.increment('k', MINUTE, 10, MINUTE, 'default')).toMatchObject({ totalHits: 1 });
      expect(await storage.increment('k', MINUTE, 10, MINUTE, 'default')).toMatchObject({ totalHits: 2 });
      expect(fallback.calls).toEqual([]);

      await redis.down();
      await eventually(() => !connection.isReady, 'the client notices');
      for (let i = 0; i < 4; i++) await storage.increment('k', MINUTE, 10, MINUTE, 'default');
      expect(fallback.calls).toHaveLength(4);
      expect(await connection.ping()).toBe(false);
      expect(logger.warnings).toHaveLength(1);

      await redis.up();
      await waitReady(connection);
      // The restarted Redis lost its data and its script cache (NOSCRIPT, then EVAL).
      expect(await storage.increment('k', MINUTE, 10, MINUTE, 'default')).toMatchObject({ totalHits: 1, isBlocked: false });
      expect(await storage.increment('k', MINUTE, 10, MINUTE, 'default')).toMatchObject({ totalHits: 2 });
      expect(fallback.calls).toHaveLength(4);
      expect(await connection.ping()).toBe(true);
      expect(logger.warnings).toHaveLength(1);
      expect(logger.infos).toEqual([
        `Redis at ${redis.url} connected: rate limits are shared across instances`,
        `Redis at ${redis.url} answers again: rate limits are shared across instances again`,
      ]);
    });

    it('gives up on a hung Redis after the command timeout, skips it for a moment, then uses it again', async () => {
      const control = new Redis(redis.url);
      const evalsha = jest.spyOn(connection.client, 'evalsha');
      try {
        await storage.increment('warm-up', MINUTE, 10, MINUTE, 'default'); // the script is cached from here on
        await control.call('CLIENT', 'PAUSE', '1500', 'ALL');
        expect(await storage.increment('hung', MINUTE, 10, MINUTE, 'default')).toMatchObject({ isBlocked: false });
        expect(fallback.calls).toEqual(['hung']);
        expect(logger.warnings).toHaveLength(1);
        expect(logger.warnings[0]).toContain('Command timed out');

        // Within the pause Redis is not asked at all.
        await storage.increment('hung', MINUTE, 10, MINUTE, 'default');
        expect(evalsha).toHaveBeenCalledTimes(2);
        expect(fallback.calls).toHaveLength(2);

        await sleep(Math.max(FAILED_COMMAND_PAUSE_MS, 1_500) + 300);
        const record = await storage.increment('hung', MINUTE, 10, MINUTE, 'default');
        expect(evalsha).toHaveBeenCalledTimes(3);
        expect(fallback.calls).toHaveLength(2);
        // The timed-out hit still ran once the pause ended: Redis counted it too (a hung
        // Redis can count a hit twice, once there and once in the fallback; never zero times).
        expect(record.totalHits).toBe(2);
        expect(logger.infos).toHaveLength(2);
        expect(logger.infos[1]).toContain('answers again');
      } finally {
        evalsha.mockRestore();
        control.disconnect();
      }
    });

    it('closes quietly on shutdown: no outage warning, no reconnection', async () => {
      await connection.onApplicationShutdown();
      expect(connection.isReady).toBe(false);
      await storage.increment('after-close', MINUTE, 10, MINUTE, 'default');
      expect(fallback.calls).toEqual(['after-close']);
      await sleep(300);
      expect(connection.client.status).toBe('end');
      expect(logger.warnings).toEqual([]);
    });
  });
});
