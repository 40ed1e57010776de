import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { RedisClient } from '../redis/redis-clients.js';
import { bullmq } from '../redis/redis-packages.js';
import { DELIVERY_BACKOFF_TYPE } from './delivery-backoff.js';
import { DELIVERY_QUEUE_NAME, type DeliveryJobData } from './delivery-job.js';
import { REMOVE_FAILED_AFTER, type QueueSettings } from './queue-settings.js';
import { createProducerClient, within } from './redis-connections.js';
import { errorMessage } from '../common/describe-error.js';

/** Injection token of the producer (`null` when no Redis is configured). */
export const DELIVERY_QUEUE = Symbol('DeliveryQueue');

/** An add() that Redis has not confirmed by then counts as failed (the request answers 503). */
const ADD_TIMEOUT_MS = 2_000;
/** The same for the 1,000 jobs of a batch, which Redis takes in one pipeline of some 10 ms. */
const ADD_BULK_TIMEOUT_MS = 10_000;
const PING_TIMEOUT_MS = 1_000;
/** Behind Sentinel, how long an add waits for a replica to hold the job (see untilReplicated). */
const REPLICA_ACK_TIMEOUT_MS = 200;
/** After no replica answered, adds skip the wait this long before trying again. */
const NO_REPLICA_RETRY_MS = 5_000;
const CLOSE_TIMEOUT_MS = 2_000;

/** The job could not be put in Redis. */
export class QueueUnavailableError extends Error {
  constructor(reason: string) {
    super(`the delivery queue is unavailable: ${reason}`);
    this.name = 'QueueUnavailableError';
  }
}

/**
 * The producer side of the BullMQ queue: adds delivery jobs (job id = log row
 * id, so adding twice adds once), removes a cancelled one, reports whether
 * Redis answers. Owns its ioredis connection (see createProducerClient for
 * why it fails fast), and closes it after the HTTP server has drained
 * (onApplicationShutdown), so a request still in flight can enqueue.
 */
export class DeliveryQueue implements OnApplicationShutdown {
  private readonly logger = new Logger('DeliveryQueue');
  private readonly client: RedisClient;
  private readonly queue: Queue<DeliveryJobData>;
  /** Last state logged, so an outage is logged once, not on every reconnection attempt. */
  private reachable: boolean | undefined;
  /** Behind Sentinel: until then no replica is expected to confirm a job (0: one did last time). */
  private noReplicaUntil = 0;

  constructor(private readonly settings: QueueSettings) {
    this.client = createProducerClient(settings.redis);
    this.client.on('ready', () => this.report(true));
    this.client.on('error', (error: Error) => this.report(false, error));
    this.queue = new (bullmq().Queue)<DeliveryJobData>(DELIVERY_QUEUE_NAME, { connection: this.client, prefix: settings.prefix });
    // BullMQ re-emits connection errors; without a listener an EventEmitter 'error' would throw.
    this.queue.on('error', () => undefined);
  }

  /**
   * Adds the job, to run after `delayMs` (0: now). Rejects with
   * QueueUnavailableError at once when Redis is not connected, and after
   * ADD_TIMEOUT_MS when it does not confirm.
   */
  async add(data: DeliveryJobData, delayMs = 0): Promise<void> {
    if (this.client.status !== 'ready') throw new QueueUnavailableError(`Redis is ${this.client.status}`);
    try {
      await within(this.queue.add(data.channel, data, this.jobOptions(data, delayMs)), ADD_TIMEOUT_MS, 'adding the job');
    } catch (error) {
      throw new QueueUnavailableError(errorMessage(error));
    }
    if (this.settings.redis.sentinel) await this.untilReplicated();
  }

  /**
   * Redis replicates asynchronously: a job only the primary holds dies with
   * it in a failover, and its row would stay `queued`. Behind Sentinel the
   * 202 waits until a replica has the job too (WAIT: this connection's writes
   * so far). A primary without a replica (after a failover, until the old
   * one returns) can only be trusted alone: the job is accepted, the risk is
   * logged once, and adds skip the wait for a while instead of paying it on
   * every request.
   */
  private async untilReplicated(): Promise<void> {
    if (Date.now() < this.noReplicaUntil) return;
    let replicas: number;
    try {
      replicas = await within(this.client.wait(1, REPLICA_ACK_TIMEOUT_MS), ADD_TIMEOUT_MS, 'waiting for a replica');
    } catch (error) {
      throw new QueueUnavailableError(errorMessage(error));
    }
    if (replicas >= 1) {
      if (this.noReplicaUntil > 0) this.logger.log('A replica holds queued jobs again');
      this.noReplicaUntil = 0;
      return;
    }
    if (this.noReplicaUntil === 0) this.logger.warn('No replica confirmed a queued job: until one does, a failover may lose the newest jobs');
    this.noReplicaUntil = Date.now() + NO_REPLICA_RETRY_MS;
  }

  /**
   * Adds the jobs of a batch with one BullMQ addBulk: one pipeline (BullMQ 6
   * sends it as a pipeline, not a MULTI transaction, so on a failure part of
   * the jobs may be in Redis: AsyncDelivery.acceptBatch sorts that out by row).
   * Same options, failures and replica wait as add().
   */
  async addBulk(jobs: ReadonlyArray<{ data: DeliveryJobData; delayMs: number }>): Promise<void> {
    if (this.client.status !== 'ready') throw new QueueUnavailableError(`Redis is ${this.client.status}`);
    const bulk = jobs.map(({ data, delayMs }) => ({ name: data.channel, data, opts: this.jobOptions(data, delayMs) }));
    try {
      await within(this.queue.addBulk(bulk), ADD_BULK_TIMEOUT_MS, 'adding the jobs');
    } catch (error) {
      throw new QueueUnavailableError(errorMessage(error));
    }
    if (this.settings.redis.sentinel) await this.untilReplicated();
  }

  private jobOptions(data: DeliveryJobData, delayMs: number) {
    return {
      jobId: data.logId,
      delay: Math.max(0, Math.round(delayMs)),
      attempts: this.settings.attempts,
      backoff: { type: DELIVERY_BACKOFF_TYPE, delay: this.settings.backoffMs },
      removeOnComplete: true,
      removeOnFail: REMOVE_FAILED_AFTER,
    };
  }

  /**
   * Removes a waiting or delayed job (a cancelled message). Best effort: false
   * when Redis is unreachable or a worker holds the job; the worker then
   * finds the row cancelled and sends nothing.
   */
  async remove(jobId: string): Promise<boolean> {
    if (this.client.status !== 'ready') return false;
    try {
      return (await within(this.queue.remove(jobId), ADD_TIMEOUT_MS, 'removing the job')) === 1;
    } catch (error) {
      this.logger.warn(`Could not remove job ${jobId}: ${errorMessage(error)}`);
      return false;
    }
  }

  /** How many jobs of this state the queue holds now; rejects when Redis is not connected. */
  async count(state: 'waiting' | 'delayed'): Promise<number> {
    if (this.client.status !== 'ready') throw new QueueUnavailableError(`Redis is ${this.client.status}`);
    const counts = await this.queue.getJobCounts(state);
    return counts[state] ?? 0;
  }

  /** True when Redis answers a PING now. */
  async isConnected(): Promise<boolean> {
    if (this.client.status !== 'ready') return false;
    try {
      return (await within(this.client.ping(), PING_TIMEOUT_MS, 'PING')) === 'PONG';
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await within(this.queue.close(), CLOSE_TIMEOUT_MS, 'closing the queue').catch(() => undefined);
    this.client.disconnect();
  }

  private report(reachable: boolean, error?: Error): void {
    if (this.reachable === reachable) return;
    this.reachable = reachable;
    if (reachable) this.logger.log('Connected to Redis (delivery queue)');
    else this.logger.warn(`Redis is unreachable; asynchronous sends answer 503 until it is back: ${errorMessage(error)}`);
  }
}
