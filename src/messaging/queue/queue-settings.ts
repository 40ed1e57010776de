import {
  DEFAULT_QUEUE_ATTEMPTS,
  DEFAULT_QUEUE_BACKOFF_MS,
  DEFAULT_QUEUE_CONCURRENCY,
  type MessagingModuleOptions,
  type RedisOptions,
} from '../messaging-options.interface.js';
import { queuePrefixOf } from '../redis/redis-clients.js';

/** The queue's configuration with every default applied (present only when `redis` is set). */
export interface QueueSettings {
  /** Where the queue lives: one Redis, Sentinel or Cluster. */
  redis: RedisOptions;
  /** BullMQ prefix of every key of the queue (a hash tag on a cluster, see queuePrefixOf). */
  prefix: string;
  workers: boolean;
  concurrency: number;
  attempts: number;
  backoffMs: number;
}

/** The settings, or undefined when no Redis is configured (asynchronous delivery is then off). */
export function queueSettingsOf(options: MessagingModuleOptions): QueueSettings | undefined {
  if (!options.redis) return undefined;
  const queue = options.queue ?? {};
  return {
    redis: options.redis,
    prefix: queuePrefixOf(options.redis),
    workers: queue.workers ?? true,
    concurrency: queue.concurrency ?? DEFAULT_QUEUE_CONCURRENCY,
    attempts: queue.attempts ?? DEFAULT_QUEUE_ATTEMPTS,
    backoffMs: queue.backoffMs ?? DEFAULT_QUEUE_BACKOFF_MS,
  };
}

/**
 * How long a worker's hold on a job lasts without renewal (BullMQ renews it
 * every half of this while the job runs, however long the provider takes).
 * A worker that dies mid-send loses the hold after at most this long; the
 * stalled-job check (every STALLED_CHECK_MS, by any live worker) then hands
 * the job to another worker. Shorter than BullMQ's 30 s so a crash delays a
 * message by seconds rather than a minute.
 */
export const JOB_LOCK_MS = 15_000;
export const STALLED_CHECK_MS = 5_000;
/**
 * Times a job may be recovered after its worker died before BullMQ gives up
 * on it (the row then ends `failed`, see DeliveryWorker). More than BullMQ's
 * 1: recovering an email is safe (same Message-ID), and an SMS/WhatsApp
 * recovery ends the job at once anyway.
 */
export const MAX_STALLED_RECOVERIES = 2;

/** Finished jobs hold message bodies: completed ones go at once, failed ones after a day (or beyond the newest 1000). */
export const REMOVE_FAILED_AFTER = { age: 86_400, count: 1_000 };
