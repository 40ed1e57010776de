import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import mongoose, { type Types } from 'mongoose';
import { errorMessage } from '../common/describe-error.js';
import { ErrorCode } from '../errors/error-codes.js';
import { QueueNotConfiguredError, ServiceUnavailableError } from '../errors/messaging.errors.js';
import { MessageLogRepository, type NewMessageLog } from '../logs/message-log.repository.js';
import type { MessageChannel, MessageLogError } from '../logs/message-log.schema.js';
import { MESSAGING_OPTIONS } from '../messaging.module-definition.js';
import type { MessagingModuleOptions } from '../messaging-options.interface.js';
import { DELIVERY_JOB_VERSION, type ChannelMessage, type DeliveryJobData, type JobConsent } from './delivery-job.js';
import { DELIVERY_QUEUE, DeliveryQueue } from './delivery-queue.js';
import { parseSendAt } from './http/send-at.js';
import { QueuedMessageLog, type BatchRow } from './queued-message-log.js';
import { currentRequestId } from '../common/request-id.js';

/** The 202 answer: the message is accepted, and `messageId` is its log row's id (GET /messaging/logs/:id). */
export interface MessageAcceptedResponse {
  /** The log row's id, like every send answer's `id` (here `messageId` is that id too). */
  id: string;
  messageId: string;
  status: 'queued' | 'scheduled';
  channel: MessageChannel;
  to: string | string[];
  /** Scheduled messages: when it is to go out, ISO-8601 UTC. */
  sendAt?: string;
  /** Email recipients left out because they are on the suppression list; absent when none was. */
  suppressed?: string[];
}

/** How the caller would like the message handled. */
export interface DeliveryOptions {
  /** The client asked for an asynchronous answer (`Prefer: respond-async`); applied only with a queue. */
  preferAsync?: boolean;
  /** Whose suppression list applies (consent/tenant.ts); the caller's `requestedBy` when absent. */
  tenant?: string;
}

/** One message of a batch, validated and screened: its row's fields and, unless suppressed, its job. */
export interface BatchEntry {
  entry: NewMessageLog;
  content: ChannelMessage;
  sendAt?: string;
  consent: JobConsent;
  /** Every recipient is suppressed: the row is written `suppressed` with this error, and nothing queued. */
  suppressed?: MessageLogError;
}

/** A batch message's acceptance (the row id), its failure to be enqueued, or undefined for a suppressed one. */
export type BatchAcceptance =
  | { messageId: string; status: 'queued' | 'scheduled'; sendAt?: string }
  | { notEnqueued: MessageLogError }
  | undefined;

const NOT_ENQUEUED: MessageLogError = { code: ErrorCode.SERVICE_UNAVAILABLE, message: 'The delivery queue was unreachable; nothing was sent' };

/** True when a send answered with acceptance rather than with the provider's id. */
export function isMessageAccepted(value: unknown): value is MessageAcceptedResponse {
  const status = typeof value === 'object' && value !== null ? (value as { status?: unknown }).status : undefined;
  return status === 'queued' || status === 'scheduled';
}

/**
 * The API side of asynchronous delivery. A channel service validates the
 * request, checks its provider and renders the message exactly as for a
 * synchronous send, then asks applies(); if so, accept() writes the log row
 * (`queued`, or `scheduled` with sendAt) and only then enqueues the job,
 * whose id is the row's id. If the job cannot be enqueued, the row ends
 * `failed` (SERVICE_UNAVAILABLE: nothing was sent) and the client gets 503.
 */
@Injectable()
export class AsyncDelivery {
  private readonly logger = new Logger('AsyncDelivery');
  private readonly messageIdDomain: string;

  constructor(
    private readonly logs: MessageLogRepository,
    private readonly rows: QueuedMessageLog,
    @Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions,
    @Optional() @Inject(DELIVERY_QUEUE) private readonly queue: DeliveryQueue | null,
  ) {
    this.messageIdDomain = /@([^\s@<>]+)>?\s*$/.exec(options.smtp?.from ?? '')?.[1] ?? 'localhost';
  }

  /**
   * Whether this request goes through the queue: it has `sendAt` (which
   * needs the queue: QUEUE_NOT_CONFIGURED without Redis), or it prefers an
   * asynchronous answer and Redis is configured. Otherwise the preference is
   * not applied and the caller sends synchronously, as without a queue.
   */
  applies(sendAt: string | undefined, options: DeliveryOptions = {}): boolean {
    if (sendAt !== undefined) {
      if (!this.queue) throw new QueueNotConfiguredError('sendAt');
      return true;
    }
    return options.preferAsync === true && this.queue !== null;
  }

  /** Throws QUEUE_NOT_CONFIGURED, naming `what` needs it, when no Redis is configured. */
  requireQueue(what: string): void {
    if (!this.queue) throw new QueueNotConfiguredError(what);
  }

  /** Logs the message as queued (or scheduled), enqueues it, and answers 202's body. */
  async accept(entry: NewMessageLog, content: ChannelMessage, sendAt?: string, consent?: JobConsent): Promise<MessageAcceptedResponse> {
    const queue = this.queue;
    if (!queue) throw new QueueNotConfiguredError('Asynchronous delivery');
    const at = sendAt === undefined ? undefined : parseSendAt(sendAt);
    const id = await this.logs.createQueued(entry, at);
    const logId = id.toHexString();
    try {
      await queue.add({ ...this.jobData(logId, content), ...(consent ? { consent } : {}) }, at ? at.getTime() - Date.now() : 0);
    } catch (error) {
      await this.abandon(id, error);
    }
    return {
      id: logId,
      messageId: logId,
      status: at ? 'scheduled' : 'queued',
      channel: entry.channel,
      to: entry.to,
      ...(at ? { sendAt: at.toISOString() } : {}),
      ...(entry.suppressed ? { suppressed: entry.suppressed } : {}),
    };
  }

  /**
   * A batch: every row written with ONE insertMany (`queued`, `scheduled`,
   * or `suppressed`, exactly the fields accept() writes), then every job
   * with ONE addBulk. If addBulk fails, the batch's waiting rows end
   * `failed` (SERVICE_UNAVAILABLE: nothing was sent), as a single send's
   * does. BullMQ's addBulk is one pipeline, not a transaction: some jobs may
   * have reached Redis, and a row a worker already took goes out. So the
   * request answers 503 only when every row failed; otherwise 202, the rows
   * that failed reported by index (`notEnqueued`). Answers in the order of
   * `entries`.
   */
  async acceptBatch(entries: readonly BatchEntry[]): Promise<BatchAcceptance[]> {
    const queue = this.queue;
    if (!queue) throw new QueueNotConfiguredError('Batch sending');
    const rows = entries.map((item): BatchRow => {
      const _id = new mongoose.Types.ObjectId();
      if (item.suppressed) return { ...item.entry, _id, status: 'suppressed', error: item.suppressed };
      const at = item.sendAt === undefined ? undefined : parseSendAt(item.sendAt);
      return at ? { ...item.entry, _id, status: 'scheduled', sendAt: at } : { ...item.entry, _id, status: 'queued' };
    });
    await this.rows.insertBatch(rows, (ids) => this.failBatch(ids));
    const jobs: Array<{ data: DeliveryJobData; delayMs: number }> = [];
    for (const [index, row] of rows.entries()) {
      if (row.status === 'suppressed') continue;
      const item = entries[index];
      const data = { ...this.jobData(row._id.toHexString(), item.content), consent: item.consent };
      jobs.push({ data, delayMs: row.status === 'scheduled' ? row.sendAt.getTime() - Date.now() : 0 });
    }
    const notEnqueued = new Set<string>();
    if (jobs.length > 0) {
      try {
        await queue.addBulk(jobs);
      } catch (error) {
        this.logger.warn(`Batch of ${jobs.length} messages not enqueued: ${errorMessage(error)}`);
        const ids = jobs.map((job) => job.data.logId);
        const failed = await this.failBatch(ids.map((id) => new mongoose.Types.ObjectId(id)));
        ids.forEach((id, i) => failed[i] && notEnqueued.add(id));
        if (notEnqueued.size === ids.length) throw new ServiceUnavailableError('The delivery queue is unavailable; nothing was sent');
      }
    }
    return rows.map((row) => {
      if (row.status === 'suppressed') return undefined;
      const messageId = row._id.toHexString();
      if (notEnqueued.has(messageId)) return { notEnqueued: NOT_ENQUEUED };
      return row.status === 'scheduled' ? { messageId, status: 'scheduled', sendAt: row.sendAt.toISOString() } : { messageId, status: 'queued' };
    });
  }

  /**
   * The batch's waiting rows end `failed`, as abandon() does one; resolves with, per id, whether it
   * did (true too when the move itself failed: the message is not known to be on its way).
   */
  private async failBatch(ids: readonly Types.ObjectId[]): Promise<boolean[]> {
    return Promise.all(
      ids.map((id) =>
        this.rows.failWaiting(id, NOT_ENQUEUED).catch((failure: unknown) => {
          this.logger.error(`Message ${id.toHexString()} left queued without a job: ${String(failure)}`);
          return true;
        }),
      ),
    );
  }

  /**
   * The job did not make it into Redis (as far as we know): the row ends
   * `failed` and the request 503. If a worker already took the row, the job
   * did reach Redis after all, and the message is on its way: no error.
   */
  private async abandon(id: Types.ObjectId, cause: unknown): Promise<void> {
    const reason = cause instanceof Error ? cause.message : String(cause);
    this.logger.warn(`Message ${id.toHexString()} not enqueued: ${reason}`);
    let failed = true;
    try {
      failed = await this.rows.failWaiting(id, NOT_ENQUEUED);
    } catch (error) {
      this.logger.error(`Message ${id.toHexString()} left queued without a job: ${String(error)}`);
    }
    if (failed) throw new ServiceUnavailableError('The delivery queue is unavailable; nothing was sent');
  }

  private jobData(logId: string, content: ChannelMessage): DeliveryJobData {
    const requestId = currentRequestId();
    const job = { v: DELIVERY_JOB_VERSION, logId, ...(requestId === undefined ? {} : { requestId }) } as const;
    if (content.channel === 'email') {
      // Derived from the row, so a copy sent again after a worker died is the same message.
      const message = { ...content.message, messageId: `<${logId}@${this.messageIdDomain}>` };
      return { ...job, channel: 'email', message };
    }
    return { ...job, ...content };
  }
}
