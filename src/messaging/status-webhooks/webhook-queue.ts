import type { Logger } from '@nestjs/common';
import type { Job, Queue, Worker } from 'bullmq';
import type { RedisOptions } from '../messaging-options.interface.js';
import type { RedisClient } from '../redis/redis-clients.js';
import { bullmq } from '../redis/redis-packages.js';
import { createProducerClient, within, workerConnection } from '../queue/redis-connections.js';
import { REMOVE_FAILED_AFTER } from '../queue/queue-settings.js';
import type { WebhookEvent } from './webhook-event.js';
import type { WebhookHealth } from './webhook-health.js';
import { WebhookAttemptError, type WebhookSender } from './webhook-sender.js';
import { WEBHOOK_ATTEMPTS } from './webhook-settings.js';
import { describeWebhookUrl } from './webhook-target.js';
import { errorMessage } from '../common/describe-error.js';

/** The BullMQ queue of webhook deliveries, beside the delivery queue under the same `redis.keyPrefix`. */
export const WEBHOOK_QUEUE_NAME = 'messaging-webhooks';
const WORKER_CONCURRENCY = 10;
const ADD_TIMEOUT_MS = 2_000;
const CLOSE_TIMEOUT_MS = 3_000;

/** One delivery: an event to one receiver. */
interface WebhookJobData {
  v: 1;
  url: string;
  event: WebhookEvent;
}

function isJobData(data: unknown): data is WebhookJobData {
  const record = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const event = (typeof record['event'] === 'object' && record['event'] !== null ? record['event'] : {}) as Record<string, unknown>;
  return record['v'] === 1 && typeof record['url'] === 'string' && typeof event['id'] === 'string' && typeof event['body'] === 'string';
}

/**
 * Webhook deliveries on BullMQ: at least once, WEBHOOK_ATTEMPTS attempts with
 * BullMQ's exponential backoff, surviving restarts. Every process with
 * webhooks and Redis (API and dist/worker.js) runs a worker on the queue.
 * The job id (event id and receiver index) makes adding one twice add once.
 */
export class WebhookQueue {
  private readonly client: RedisClient;
  private readonly queue: Queue<WebhookJobData>;
  private worker?: Worker<WebhookJobData>;
  /** The cluster client the worker's connections were duplicated from (closed after the worker). */
  private workerTemplate?: RedisClient;

  constructor(
    private readonly redis: { target: RedisOptions; prefix: string },
    private readonly backoffMs: number,
    private readonly sender: WebhookSender,
    private readonly health: WebhookHealth,
    private readonly logger: Logger,
  ) {
    this.client = createProducerClient(redis.target);
    // Outages are reported by the delivery queue and Redis health; here an add() fails and falls back.
    this.client.on('error', () => undefined);
    this.queue = new (bullmq().Queue)<WebhookJobData>(WEBHOOK_QUEUE_NAME, { connection: this.client, prefix: redis.prefix });
    this.queue.on('error', () => undefined);
  }

  /** Rejects at once when Redis is not connected, after ADD_TIMEOUT_MS when it does not confirm. */
  async add(url: string, event: WebhookEvent, receiver: number): Promise<void> {
    if (this.client.status !== 'ready') throw new Error(`Redis is ${this.client.status}`);
    const options = {
      jobId: `${event.id}-${receiver}`,
      attempts: WEBHOOK_ATTEMPTS,
      backoff: { type: 'exponential', delay: this.backoffMs },
      removeOnComplete: true,
      removeOnFail: REMOVE_FAILED_AFTER,
    };
    await within(this.queue.add('message.status', { v: 1, url, event }, options), ADD_TIMEOUT_MS, 'adding the webhook job');
  }

  startWorker(): void {
    const { connection, template } = workerConnection(this.redis.target);
    this.workerTemplate = template;
    const worker = new (bullmq().Worker)<WebhookJobData>(WEBHOOK_QUEUE_NAME, (job) => this.process(job), {
      connection,
      prefix: this.redis.prefix,
      concurrency: WORKER_CONCURRENCY,
    });
    worker.on('error', () => undefined);
    this.worker = worker;
  }

  async closeWorker(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await within(worker.close(), CLOSE_TIMEOUT_MS, 'closing the webhook worker').catch(() => worker.close(true));
    this.workerTemplate?.disconnect();
    this.workerTemplate = undefined;
  }

  async close(): Promise<void> {
    await within(this.queue.close(), CLOSE_TIMEOUT_MS, 'closing the webhook queue').catch(() => undefined);
    this.client.disconnect();
  }

  private async process(job: Job<WebhookJobData>): Promise<void> {
    if (!isJobData(job.data)) throw new (bullmq().UnrecoverableError)('unusable webhook job');
    const { url, event } = job.data;
    try {
      await this.sender.post(url, event);
      this.health.delivered();
    } catch (error) {
      const reason = error instanceof WebhookAttemptError ? error.reason : errorMessage(error);
      const attempt = job.attemptsMade + 1;
      const last = attempt >= (job.opts.attempts ?? 1);
      this.health.failed(url, reason, last ? 'failed' : 'retrying');
      if (last) {
        this.logger.warn(`Webhook ${event.id} to ${describeWebhookUrl(url)} given up after ${attempt} attempts: ${reason}`);
      }
      throw new Error(reason); // BullMQ retries after the backoff while attempts remain
    }
  }
}
