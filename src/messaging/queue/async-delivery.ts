import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Types } from 'mongoose';
import { ErrorCode } from '../errors/error-codes.js';
import { QueueNotConfiguredError, ServiceUnavailableError } from '../errors/messaging.errors.js';
import { MessageLogRepository, type NewMessageLog } from '../logs/message-log.repository.js';
import type { MessageChannel } from '../logs/message-log.schema.js';
import { MESSAGING_OPTIONS } from '../messaging.module-definition.js';
import type { MessagingModuleOptions } from '../messaging-options.interface.js';
import { DELIVERY_JOB_VERSION, type ChannelMessage, type DeliveryJobData, type JobConsent } from './delivery-job.js';
import { DELIVERY_QUEUE, DeliveryQueue } from './delivery-queue.js';
import { parseSendAt } from './http/send-at.js';
import { QueuedMessageLog } from './queued-message-log.js';
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
   * The job did not make it into Redis (as far as we know): the row ends
   * `failed` and the request 503. If a worker already took the row, the job
   * did reach Redis after all, and the message is on its way: no error.
   */
  private async abandon(id: Types.ObjectId, cause: unknown): Promise<void> {
    const reason = cause instanceof Error ? cause.message : String(cause);
    this.logger.warn(`Message ${id.toHexString()} not enqueued: ${reason}`);
    let failed = true;
    try {
      failed = await this.rows.failWaiting(id, {
        code: ErrorCode.SERVICE_UNAVAILABLE,
        message: 'The delivery queue was unreachable; nothing was sent',
      });
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
