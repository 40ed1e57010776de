/**
 * The baseline's delivery queue, for `Prefer: respond-async`: BullMQ on its
 * own ioredis client, with the app's producer settings
 * (src/messaging/queue/redis-connections.ts createProducerClient) and job
 * options (src/messaging/queue/delivery-queue.ts add). The baseline only
 * accepts: it adds the job and never runs a worker, as our app measured
 * against it runs with QUEUE_WORKERS=false.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

/** src/messaging/queue/delivery-job.ts, queue-settings.ts, delivery-backoff.ts and the default attempts. */
const QUEUE_NAME = 'messaging-delivery';
const JOB_VERSION = 1;
const ATTEMPTS = 5;
const BACKOFF = { type: 'fluxkit-exponential-jitter', delay: 1_000 };
const REMOVE_FAILED_AFTER = { age: 86_400, count: 1_000 };
const ADD_TIMEOUT_MS = 2_000;

/** Settles like `operation`, or rejects after `ms`; the timer is cleared either way (the app's `within`). */
function within(operation, ms) {
  let timer;
  const timeout = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([operation, timeout]).finally(() => clearTimeout(timer));
}

/** `Prefer: respond-async` among the header's preferences (RFC 7240). */
export function prefersRespondAsync(header) {
  return /(^|[,;\s])respond-async\s*(,|;|$)/i.test(String(header ?? ''));
}

/** Opens the queue on `url` under `prefix`, once Redis is ready; `add` enqueues one delivery job for the row `logId`. */
export async function openQueue(url, prefix) {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    connectionName: 'fluxkit-bench-baseline-producer',
  });
  client.on('error', () => undefined);
  await within(new Promise((resolve) => client.once('ready', resolve)), 10_000);
  const queue = new Queue(QUEUE_NAME, { connection: client, prefix });
  queue.on('error', () => undefined);
  return {
    async add(logId, channel, message, requestId) {
      if (client.status !== 'ready') throw new Error(`Redis is ${client.status}`);
      const data = { v: JOB_VERSION, logId, requestId, channel, message };
      await within(
        queue.add(channel, data, { jobId: logId, delay: 0, attempts: ATTEMPTS, backoff: BACKOFF, removeOnComplete: true, removeOnFail: REMOVE_FAILED_AFTER }),
        ADD_TIMEOUT_MS,
      );
    },
    async close() {
      await queue.close().catch(() => undefined);
      client.disconnect();
    },
  };
}

/**
 * Accepts one message for the queue as the app's AsyncDelivery.accept does: the consent check, the
 * `queued` row (tenant and category as the app writes them), the job; when the job cannot be added the
 * row turns `failed` and the answer is 503. `fail(status, code, message)` makes the server's error.
 */
export async function acceptMessage({ store, queue, screen, fail }, entry, message) {
  await screen(entry.requestedBy, entry.channel, [entry.to]);
  let id;
  try {
    id = await store.createQueued({ ...entry, category: 'transactional', tenant: entry.requestedBy });
  } catch (error) {
    process.stderr.write(`could not write the queued row: ${error?.message ?? error}\n`);
    throw fail(503, 'SERVICE_UNAVAILABLE', 'The message log store is unavailable');
  }
  const logId = id.toHexString();
  try {
    await queue.add(logId, entry.channel, message);
  } catch (error) {
    await store.failQueued(id, { code: 'SERVICE_UNAVAILABLE', message: 'The delivery queue was unreachable; nothing was sent' });
    throw fail(503, 'SERVICE_UNAVAILABLE', `The delivery queue is unavailable: ${error?.message ?? error}`);
  }
  return { id: logId, messageId: logId, status: 'queued', channel: entry.channel, to: entry.to };
}
