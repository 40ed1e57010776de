import type { ThrottlerStorage } from '@nestjs/throttler';
import type { RedisConnection } from '../../src/messaging/redis/redis-connection.js';
import type { OutageLogger } from '../../src/messaging/redis/redis-outage-log.js';
import type { ThrottlerStorageRecord } from '../../src/messaging/redis/redis-throttler.storage.js';

/**
 * For the Redis storage's unit specs (src/messaging/redis/*.spec.ts). Jest
 * cannot load @nestjs/throttler, so the specs stand a recording storage in
 * for its ThrottlerStorageService as the fallback.
 */

/** A fallback that records what reached it and answers "allowed". */
export class RecordingStorage implements ThrottlerStorage {
  readonly calls: string[] = [];

  increment(key: string): Promise<ThrottlerStorageRecord> {
    this.calls.push(key);
    return Promise.resolve({ totalHits: this.calls.length, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
  }
}

/** A logger that keeps its lines. */
export class RecordingLogger implements OutageLogger {
  readonly warnings: string[] = [];
  readonly infos: string[] = [];

  warn(message: string): void {
    this.warnings.push(message);
  }

  log(message: string): void {
    this.infos.push(message);
  }
}

/** Resolves once `check()` holds, polling every 20 ms for at most `timeoutMs`. */
export async function eventually(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  for (let waited = 0; waited < timeoutMs; waited += 20) {
    if (check()) return;
    await sleep(20);
  }
  throw new Error(`not within ${timeoutMs} ms: ${what}`);
}

export function waitReady(connection: RedisConnection): Promise<void> {
  return eventually(() => connection.isReady, `Redis at ${connection.target} ready`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
