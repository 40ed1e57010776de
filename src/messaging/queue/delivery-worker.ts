import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import type { RedisClient } from '../redis/redis-clients.js';
import { bullmq } from '../redis/redis-packages.js';
import { MESSAGING_OPTIONS } from '../messaging.module-definition.js';
import type { MessagingModuleOptions } from '../messaging-options.interface.js';
import { deliveryBackoffStrategy } from './delivery-backoff.js';
import { DELIVERY_QUEUE_NAME, deliveryJobProblem, type DeliveryJobData } from './delivery-job.js';
import { DeliveryProcessor, type RunOutcome } from './delivery-processor.js';
import { OUTCOME_UNKNOWN, QueuedMessageLog } from './queued-message-log.js';
import {
  JOB_LOCK_MS,
  MAX_STALLED_RECOVERIES,
  queueSettingsOf,
  STALLED_CHECK_MS,
  type QueueSettings,
} from './queue-settings.js';
import { within, workerConnection } from './redis-connections.js';
import { errorMessage } from '../common/describe-error.js';
import { acceptedRequestId, runWithRequestId } from '../common/request-id.js';

/** A job postponed because the log store is unreachable runs again after this long (no attempt spent). */
const POSTPONE_MS = 5_000;
/** On shutdown, jobs in progress get this long to finish before the worker lets go of them. */
const CLOSE_GRACE_MS = 20_000;
/** Then closing the worker's connections may take this long. */
const CLOSE_TIMEOUT_MS = 3_000;

/**
 * The BullMQ worker: runs DeliveryProcessor for each delivery job and turns
 * its outcome into BullMQ's terms (retry with backoff, fail for good,
 * postpone). Started once the application has booted when `redis` is set and
 * `queue.workers` is not false; closed when the module is destroyed, which
 * Nest does before the providers it uses (SMTP pool, database), so jobs in
 * progress finish first.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('DeliveryWorker');
  private readonly settings: QueueSettings | undefined;
  private worker?: Worker<DeliveryJobData>;
  /** The cluster client the worker's connections were duplicated from (closed after the worker). */
  private workerTemplate?: RedisClient;
  private redisReachable: boolean | undefined;
  /** Jobs this process is running now. */
  private inProgress = 0;

  constructor(
    @Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions,
    private readonly processor: DeliveryProcessor,
    private readonly rows: QueuedMessageLog,
  ) {
    this.settings = queueSettingsOf(options);
  }

  /** Whether this process delivers queued messages. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  onApplicationBootstrap(): void {
    const settings = this.settings;
    if (!settings?.workers) return;
    const { connection, template } = workerConnection(settings.redis);
    this.workerTemplate = template;
    const worker = new (bullmq().Worker)<DeliveryJobData>(DELIVERY_QUEUE_NAME, (job, token) => this.process(job, token), {
      connection,
      prefix: settings.prefix,
      concurrency: settings.concurrency,
      lockDuration: JOB_LOCK_MS,
      stalledInterval: STALLED_CHECK_MS,
      maxStalledCount: MAX_STALLED_RECOVERIES,
      settings: { backoffStrategy: deliveryBackoffStrategy },
    });
    worker.on('error', (error) => this.reportRedis(false, error));
    worker.on('ready', () => this.reportRedis(true));
    worker.on('stalled', (jobId) => void this.onStalled(jobId));
    this.worker = worker;
    // Not awaited: the app starts even while Redis is down; the worker connects when it can.
    worker.waitUntilReady().then(
      () => this.logger.log(`Delivery worker started (concurrency ${settings.concurrency}, prefix ${settings.prefix})`),
      () => undefined,
    );
  }

  /**
   * Takes no new job, waits for the jobs in progress (up to CLOSE_GRACE_MS;
   * they record their outcome in the log), then closes the connections. A
   * normal close also waits for Redis to confirm, which while Redis is down
   * would last until it is back: then, and past the grace period, the worker
   * lets go at once (a job still running is taken over by another worker).
   */
  async onModuleDestroy(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    await worker.pause(true).catch(() => undefined);
    const idle = await this.untilIdle(CLOSE_GRACE_MS);
    if (!idle) this.logger.warn('Jobs still running after the shutdown grace period; another worker will take them over');
    const force = !idle || this.redisReachable === false;
    await within(worker.close(force), CLOSE_TIMEOUT_MS, 'closing the delivery worker').catch((error: unknown) =>
      this.logger.warn(errorMessage(error)),
    );
    this.workerTemplate?.disconnect();
    this.workerTemplate = undefined;
  }

  private async untilIdle(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.inProgress > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    return this.inProgress === 0;
  }

  private async process(job: Job<DeliveryJobData>, token: string | undefined): Promise<{ messageId?: string }> {
    this.reportRedis(true); // a job arrived, so Redis answers again
    const problem = deliveryJobProblem(job.data);
    if (problem) {
      this.logger.error(`Job ${String(job.id)} is unusable: ${problem}`);
      throw new (bullmq().UnrecoverableError)(problem);
    }
    this.inProgress++;
    try {
      // The request's id follows the message into the worker's log lines (a fresh one for older jobs).
      return await runWithRequestId(acceptedRequestId(job.data.requestId), async () => {
        const outcome = await this.processor.run({
          data: job.data,
          failedAttempts: job.attemptsMade,
          maxAttempts: job.opts.attempts ?? 1,
        });
        return this.settle(job, token, outcome);
      });
    } finally {
      this.inProgress--;
    }
  }

  private async settle(job: Job<DeliveryJobData>, token: string | undefined, outcome: RunOutcome): Promise<{ messageId?: string }> {
    switch (outcome.kind) {
      case 'sent':
        this.logger.debug(`Message ${job.data.logId} delivered`);
        return { messageId: outcome.messageId };
      case 'skipped':
        this.logger.log(`Message ${job.data.logId} not sent: ${outcome.reason}`);
        return {};
      case 'retry':
        // BullMQ retries after deliveryBackoffStrategy's delay while attempts remain.
        throw outcome.error;
      case 'failed':
        // The reason stays on the row: a provider's wording may quote the recipient.
        this.logger.warn(`Message ${job.data.logId} failed; no further attempt`);
        throw new (bullmq().UnrecoverableError)(outcome.reason);
      case 'postpone':
        this.logger.warn(`Message ${job.data.logId} postponed by ${POSTPONE_MS} ms: ${outcome.reason}`);
        await job.moveToDelayed(Date.now() + POSTPONE_MS, token);
        throw new (bullmq().DelayedError)();
    }
  }

  /**
   * A job whose worker died was found by the stalled-job check. BullMQ puts
   * it back in the queue (the processor then resends an email or fails an
   * SMS, see DeliveryProcessor), unless it stalled too often: then BullMQ
   * fails it without running it, and the row must not stay `pending`.
   */
  private async onStalled(jobId: string): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    try {
      const job = await bullmq().Job.fromId<DeliveryJobData>(worker, jobId);
      if (!job || (await job.getState()) !== 'failed' || deliveryJobProblem(job.data)) return;
      const message = `outcome unknown: the job was interrupted ${MAX_STALLED_RECOVERIES + 1} times; given up`;
      if (await this.rows.failUnfinished(job.data.logId, { code: OUTCOME_UNKNOWN, message })) {
        this.logger.warn(`Message ${job.data.logId}: ${message}`);
      }
    } catch (error) {
      this.logger.warn(`Could not check stalled job ${jobId}: ${errorMessage(error)}`);
    }
  }

  private reportRedis(reachable: boolean, error?: Error): void {
    if (this.redisReachable === reachable) return;
    this.redisReachable = reachable;
    if (reachable) this.logger.log('Delivery worker connected to Redis');
    else this.logger.warn(`Delivery worker lost Redis; it resumes when Redis is back: ${errorMessage(error)}`);
  }
}
