import type { RedisOptions } from '../messaging-options.interface.js';
import { createRedisClient, workerConnectionOf, type RedisClient } from '../redis/redis-clients.js';

/**
 * Reconnect after 200 ms, 400 ms, ... then every 2 s, forever: when Redis
 * comes back, the queue works again without a restart (BullMQ's own default
 * waits up to 20 s between tries).
 */
export function reconnectDelayMs(times: number): number {
  return Math.min(times * 200, 2_000);
}

/**
 * The producer's connection (the API enqueues and cancels through it). It
 * fails fast: no offline queue (a command while disconnected is refused at
 * once instead of waiting for a reconnection), one retry per command and a
 * short connect timeout, so an asynchronous send answers 503 in milliseconds
 * while Redis is down instead of hanging.
 */
export function createProducerClient(redis: RedisOptions): RedisClient {
  return createRedisClient(redis, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: reconnectDelayMs,
    connectionName: 'fluxkit-messaging-producer',
  });
}

/**
 * The workers' connections (BullMQ creates and closes them: one for
 * commands, one for the blocking wait). `maxRetriesPerRequest: null` is what
 * BullMQ requires of a worker: its commands wait out a disconnection instead
 * of failing, and the worker carries on once Redis is back. On a cluster the
 * caller closes `template` once the worker is closed (see workerConnectionOf).
 */
export function workerConnection(redis: RedisOptions): ReturnType<typeof workerConnectionOf> {
  return workerConnectionOf(redis, {
    maxRetriesPerRequest: null,
    retryStrategy: reconnectDelayMs,
    connectionName: 'fluxkit-messaging-worker',
  });
}

/** Settles like `operation`, or rejects after `ms`; the timer never outlives it. */
export function within<T>(operation: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([operation, timeout]).finally(() => clearTimeout(timer));
}
