import type { OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { RedisConnection } from './redis-connection.js';
import { THROTTLE_SCRIPT, THROTTLE_SCRIPT_SHA } from './throttle-script.js';

/** After a command failed on a connected client (hung Redis), skip Redis this long before trying again. */
export const FAILED_COMMAND_PAUSE_MS = 1_000;

/** What a storage answers per hit (the package's index does not export the interface's record type). */
export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** One hit's arguments, as ThrottlerStorage.increment() takes them: key, ttl, limit, blockDuration, throttlerName. */
export type ThrottleHit = Parameters<ThrottlerStorage['increment']>;

/** The in-process storage used while Redis is unreachable (@nestjs/throttler's ThrottlerStorageService). */
export type FallbackStorage = ThrottlerStorage & Partial<OnApplicationShutdown>;

/**
 * @nestjs/throttler storage on Redis, so every instance of a deployment
 * counts into the same budget per client.
 *
 * Our own rather than @nest-lab/throttler-storage-redis: that package
 * declares a peer dependency on @nestjs/common up to 11, so on Nest 12 `npm ci`
 * fails with ERESOLVE. This is one Lua script (throttle-script.ts) with the
 * in-memory storage's semantics.
 *
 * Redis never turns a request into an error: while it is unreachable, or
 * when a call fails, the hit is counted by `fallback` (the in-process
 * storage), so each instance still enforces the limit on its own; the outage
 * is logged once, and counting goes back to Redis as soon as it answers.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private pausedUntil = 0;

  constructor(
    private readonly connection: RedisConnection,
    private readonly fallback: FallbackStorage,
  ) {}

  increment(...hit: ThrottleHit): Promise<ThrottlerStorageRecord> {
    return this.incrementBy(1, ...hit);
  }

  /**
   * `hits` hits at once, each counted exactly as its own increment() would count it, in one Redis
   * round trip (a batch of n messages spends n sends of the budget); answers the last hit's record.
   */
  async incrementBy(hits: number, ...hit: ThrottleHit): Promise<ThrottlerStorageRecord> {
    if (this.connection.isReady && Date.now() >= this.pausedUntil) {
      try {
        const record = await this.incrementInRedis(hits, ...hit);
        this.connection.outage.recovered();
        return record;
      } catch (error) {
        this.pausedUntil = Date.now() + FAILED_COMMAND_PAUSE_MS;
        this.connection.outage.failed(error);
      }
    }
    return incrementTimes(this.fallback, hits, ...hit);
  }

  /** Redis key of a throttle record; the hash tag keeps both keys of a record in one cluster slot. */
  recordKey(key: string): string {
    return `${this.connection.keyPrefix}:throttle:{${key}}`;
  }

  private async incrementInRedis(hits: number, ...[key, ttl, limit, blockDuration, throttlerName]: ThrottleHit): Promise<ThrottlerStorageRecord> {
    const recordKey = this.recordKey(key);
    const keys = [recordKey, `${recordKey}:hits:${throttlerName}`];
    const args = [String(ttl), String(limit), String(blockDuration), String(Math.max(1, Math.floor(hits)))];
    const client = this.connection.client;
    let reply: unknown;
    try {
      reply = await client.evalsha(THROTTLE_SCRIPT_SHA, keys.length, ...keys, ...args);
    } catch (error) {
      // Redis forgets scripts on restart: send the source once, it is cached again.
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      reply = await client.eval(THROTTLE_SCRIPT, keys.length, ...keys, ...args);
    }
    return toRecord(reply);
  }

  onApplicationShutdown(): void {
    this.fallback.onApplicationShutdown?.();
  }
}

/**
 * `hits` (at least 1) hits on any throttler storage, answering the last one's record: one Redis call
 * on ours (RedisThrottlerStorage.incrementBy), else one increment() after another.
 */
export async function incrementTimes(storage: ThrottlerStorage, hits: number, ...hit: ThrottleHit): Promise<ThrottlerStorageRecord> {
  if (storage instanceof RedisThrottlerStorage) return storage.incrementBy(hits, ...hit);
  let record = await storage.increment(...hit);
  for (let counted = 1; counted < hits; counted++) record = await storage.increment(...hit);
  return record;
}

function toRecord(reply: unknown): ThrottlerStorageRecord {
  if (!isFourNumbers(reply)) throw new Error(`unexpected throttle script reply: ${JSON.stringify(reply)}`);
  const [totalHits, timeToExpire, isBlocked, timeToBlockExpire] = reply;
  return { totalHits, timeToExpire, isBlocked: isBlocked === 1, timeToBlockExpire };
}

function isFourNumbers(value: unknown): value is [number, number, number, number] {
  return Array.isArray(value) && value.length === 4 && value.every((n) => typeof n === 'number');
}
