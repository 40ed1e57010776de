import { sharedRedisUrl, uniqueKeyPrefix } from '../../../test/helpers/private-redis.js';
import { RecordingLogger, RecordingStorage, sleep, waitReady } from '../../../test/helpers/redis-storage-support.js';
import { RedisConnection } from './redis-connection.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

const MINUTE = 60_000;
/** Short windows for the expiry cases: long enough that two awaited calls in a row fall inside one even on a busy machine. */
const SHORT = 1_000;
const PAST_SHORT = 1_300;

/**
 * The Lua-backed storage against the suite's real Redis, checked against the
 * semantics of @nestjs/throttler's in-memory ThrottlerStorageService. Each
 * "instance" is its own connection + storage, like two app processes.
 */
describe('RedisThrottlerStorage on a real Redis', () => {
  const keyPrefix = uniqueKeyPrefix('throttle-storage');
  const connections: RedisConnection[] = [];
  let fallback: RecordingStorage;

  function instance(): RedisThrottlerStorage {
    const connection = new RedisConnection({ url: sharedRedisUrl(), keyPrefix }, new RecordingLogger());
    connections.push(connection);
    return new RedisThrottlerStorage(connection, fallback);
  }

  let a: RedisThrottlerStorage;
  let b: RedisThrottlerStorage;

  beforeAll(async () => {
    fallback = new RecordingStorage();
    a = instance();
    b = instance();
    await Promise.all(connections.map(waitReady));
  });
  afterAll(async () => {
    const [first] = connections;
    const keys = await first.client.keys(`${keyPrefix}:*`);
    if (keys.length) await first.client.del(...keys);
    await Promise.all(connections.map((c) => c.onApplicationShutdown()));
  });
  afterEach(() => expect(fallback.calls).toEqual([]));

  it('counts hits, blocks the one over the limit for blockDuration, and counts nothing while blocked', async () => {
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await a.increment('count', MINUTE, 3, MINUTE, 'default'));
    expect(results.slice(0, 3)).toEqual([1, 2, 3].map((totalHits) => ({ totalHits, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 })));
    for (const blocked of results.slice(3)) {
      expect(blocked).toMatchObject({ totalHits: 4, isBlocked: true });
      expect(blocked.timeToBlockExpire).toBeGreaterThan(30);
      expect(blocked.timeToBlockExpire).toBeLessThanOrEqual(60);
    }
  });

  it('shares one budget between instances, alternating', async () => {
    const seen = [];
    for (let i = 0; i < 6; i++) seen.push(await (i % 2 ? b : a).increment('shared', MINUTE, 4, MINUTE, 'default'));
    expect(seen.map((r) => r.isBlocked)).toEqual([false, false, false, false, true, true]);
    expect(seen.map((r) => r.totalHits)).toEqual([1, 2, 3, 4, 5, 5]);
  });

  it('lets exactly `limit` through under 60 concurrent hits from two instances (one atomic script)', async () => {
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? b : a).increment('concurrent', MINUTE, 10, MINUTE, 'default')),
    );
    expect(results.filter((r) => !r.isBlocked)).toHaveLength(10);
    expect(results.filter((r) => !r.isBlocked).map((r) => r.totalHits).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('counts n hits in one call exactly as n calls would, with and without a block', async () => {
    // With a block: 7 hits against a limit of 5 count 6 and block on the sixth; the seventh is not counted.
    const one = [];
    for (let i = 0; i < 7; i++) one.push(await a.increment('by-one', MINUTE, 5, MINUTE, 'default'));
    expect(await b.incrementBy(7, 'by-n', MINUTE, 5, MINUTE, 'default')).toEqual(one[6]);
    expect(await b.increment('by-n', MINUTE, 5, MINUTE, 'default')).toMatchObject({ totalHits: 6, isBlocked: true });
    // Without a block: hits past the limit are refused and not counted.
    expect(await a.incrementBy(2, 'by-n-free', MINUTE, 3, 0, 'default')).toMatchObject({ totalHits: 2, isBlocked: false });
    expect(await a.incrementBy(2, 'by-n-free', MINUTE, 3, 0, 'default')).toMatchObject({ totalHits: 4, isBlocked: true });
    expect(await a.increment('by-n-free', MINUTE, 3, 0, 'default')).toMatchObject({ totalHits: 4, isBlocked: true });
    const [first] = connections;
    expect(await first.client.zcard(`${keyPrefix}:throttle:{by-n-free}:hits:default`)).toBe(3);
  });

  it('after the block has passed, clears the hits and counts the request as the first again', async () => {
    expect(await a.increment('expiry', SHORT, 1, SHORT, 'default')).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(await b.increment('expiry', SHORT, 1, SHORT, 'default')).toMatchObject({ totalHits: 2, isBlocked: true, timeToBlockExpire: 1 });
    await sleep(PAST_SHORT);
    expect(await b.increment('expiry', SHORT, 1, SHORT, 'default')).toEqual({ totalHits: 1, timeToExpire: 1, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('keeps a block longer than the window until the block has passed', async () => {
    await a.increment('long-block', SHORT, 1, MINUTE, 'default');
    expect(await a.increment('long-block', SHORT, 1, MINUTE, 'default')).toMatchObject({ isBlocked: true });
    await sleep(PAST_SHORT);
    const still = await b.increment('long-block', SHORT, 1, MINUTE, 'default');
    // The counted hit has expired (sliding window), the block has not.
    expect(still).toMatchObject({ totalHits: 0, isBlocked: true });
    expect(still.timeToBlockExpire).toBeGreaterThan(30);
  });

  it('without a block (blockDuration 0) refuses hits at the limit without counting them, until the oldest expires', async () => {
    const first = await a.increment('no-block', MINUTE, 2, 0, 'default');
    const second = await b.increment('no-block', MINUTE, 2, 0, 'default');
    const refused = await a.increment('no-block', MINUTE, 2, 0, 'default');
    const again = await b.increment('no-block', MINUTE, 2, 0, 'default');
    expect([first, second].map((r) => [r.totalHits, r.isBlocked, r.timeToBlockExpire])).toEqual([[1, false, 0], [2, false, 0]]);
    for (const r of [refused, again]) {
      expect(r).toMatchObject({ totalHits: 3, isBlocked: true });
      expect(r.timeToBlockExpire).toBeGreaterThan(30);
    }

    await a.increment('no-block-short', SHORT, 1, 0, 'default');
    expect(await a.increment('no-block-short', SHORT, 1, 0, 'default')).toMatchObject({ isBlocked: true });
    await sleep(PAST_SHORT);
    expect(await b.increment('no-block-short', SHORT, 1, 0, 'default')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('keeps keys and throttler names apart', async () => {
    await a.increment('apart', MINUTE, 1, MINUTE, 'default');
    expect(await a.increment('apart-other', MINUTE, 1, MINUTE, 'default')).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(await a.increment('apart', MINUTE, 1, MINUTE, 'burst')).toMatchObject({ totalHits: 1 });
  });

  it('writes only under `<keyPrefix>:throttle:`, with an expiry no later than the window or block', async () => {
    await a.increment('keys', 5_000, 5, 10_000, 'default');
    const client = connections[0].client;
    const keys = await client.keys(`${keyPrefix}:throttle:{keys}*`);
    expect(keys.sort()).toEqual([`${keyPrefix}:throttle:{keys}`, `${keyPrefix}:throttle:{keys}:hits:default`]);
    for (const key of keys) {
      const ttl = await client.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(5_000);
    }
    expect(await client.keys(`${keyPrefix}*`)).toEqual(expect.arrayContaining(keys));
    expect((await client.keys('*')).filter((k) => k.includes('{keys}') && !k.startsWith(`${keyPrefix}:throttle:`))).toEqual([]);
  });

  it('lets Redis drop a record once its window has passed', async () => {
    await a.increment('gone', SHORT, 5, SHORT, 'default');
    await sleep(PAST_SHORT);
    expect(await connections[0].client.exists(a.recordKey('gone'), `${a.recordKey('gone')}:hits:default`)).toBe(0);
  });
});
