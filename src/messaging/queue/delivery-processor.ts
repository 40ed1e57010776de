import { Injectable, Logger } from '@nestjs/common';
import mongoose from 'mongoose';
import { ErrorCode } from '../errors/error-codes.js';
import { RecipientSuppressedError, SendFailedError } from '../errors/messaging.errors.js';
import { MessageDispatcher } from '../logs/message-dispatcher.js';
import { MessageLogRepository } from '../logs/message-log.repository.js';
import type { ChannelName } from '../common/channel-names.js';
import { CHANNEL_PORTS, type ChannelMessages } from '../providers/channel-ports.js';
import { ChannelProviders } from '../providers/channel-providers.js';
import type { ProviderReceipt } from '../providers/provider.interface.js';
import type { DeliveryJobData } from './delivery-job.js';
import { QueuedMessageLog, type Claim, type QueuedRow } from './queued-message-log.js';
import { errorMessage } from '../common/describe-error.js';
import { DEFAULT_MESSAGE_CATEGORY } from '../common/consent-fields.js';
import { ConsentGate, type ConsentContext, type Screened } from '../consent/consent-gate.js';

/** One run of a delivery job, as the worker sees it. */
export interface JobRun {
  data: DeliveryJobData;
  /** Attempts of this job that failed before this one (BullMQ's attemptsMade). */
  failedAttempts: number;
  /** Attempts the job may take in all (its `attempts` option). */
  maxAttempts: number;
}

/** What became of a run; DeliveryWorker turns it into BullMQ's terms. */
export type RunOutcome =
  | { kind: 'sent'; messageId: string }
  /** Nothing to do: the message was cancelled, is already final, or its row is gone. */
  | { kind: 'skipped'; reason: string }
  /** A transient failure with attempts left: the row stays `pending` with the error; retry after a backoff. */
  | { kind: 'retry'; error: Error }
  /** Final failure, recorded on the row: no further attempt. */
  | { kind: 'failed'; reason: string }
  /** The log store is unreachable: run the job again later without spending an attempt. */
  | { kind: 'postpone'; reason: string };

export const INTERRUPTED_MESSAGE = 'outcome unknown: the worker stopped mid-send; not resent to avoid a duplicate';

/**
 * Delivers one queued message: claims its log row (so a cancelled message
 * never goes out and two workers never both start it), calls the channel's
 * provider through MessageDispatcher.deliver (the synchronous path's own
 * outcome recording), and says whether BullMQ should retry. It injects the
 * same provider tokens as the channel services, so whatever provider (or
 * failover chain) the module is configured with delivers queued messages too.
 */
/** The channel's provider (its name goes on the attempts list) and the call that hands it the job's message. */
interface Sender {
  provider: string;
  send: () => Promise<ProviderReceipt>;
}

@Injectable()
export class DeliveryProcessor {
  private readonly logger = new Logger('DeliveryProcessor');

  constructor(
    private readonly rows: QueuedMessageLog,
    private readonly logs: MessageLogRepository,
    private readonly dispatcher: MessageDispatcher,
    private readonly providers: ChannelProviders,
    private readonly consent: ConsentGate,
  ) {}

  async run(run: JobRun): Promise<RunOutcome> {
    const { data: job } = run;
    // Checked again here, not only when the API accepted it: the recipient may have opted out since.
    let screened: Screened<DeliveryJobData['message']>;
    let consent: ConsentContext;
    try {
      consent = job.consent ?? (await this.consentOfOlderJob(job.logId));
      screened = await this.consent.screen(job.channel, job.message, consent);
    } catch (error) {
      return { kind: 'postpone', reason: `the suppression list is unavailable (${errorMessage(error)})` };
    }
    if (screened.blocked) return this.suppress(job, screened.suppressed);
    const data = { ...job, message: screened.message } as DeliveryJobData;
    let claim: Claim;
    try {
      claim = await this.rows.claim(data.logId, screened.suppressed.length > 0 ? { suppressed: screened.suppressed } : {});
    } catch (error) {
      return { kind: 'postpone', reason: `the message log store is unavailable (${errorMessage(error)})` };
    }
    if (!claim.claimed) {
      const blocked = await this.notClaimed(data, claim.row);
      if (blocked) return blocked;
    }
    const id = new mongoose.Types.ObjectId(data.logId);
    const sender = this.sender(data);
    if (!sender) {
      const message = `No ${data.channel} provider is configured on the worker`;
      await this.logs.markFailed(id, { code: ErrorCode.PROVIDER_NOT_CONFIGURED, message });
      return { kind: 'failed', reason: message };
    }
    const lastAttempt = run.failedAttempts + 1 >= run.maxAttempts;
    const retryLater = (error: unknown) => !lastAttempt && isTransient(error);
    try {
      const target = { channel: data.channel, provider: sender.provider };
      const receipt = await this.dispatcher.deliver(id, target, sender.send, retryLater);
      return { kind: 'sent', messageId: receipt.messageId };
    } catch (error) {
      if (data.channel !== 'email') await this.consent.noteRejection(data.channel, data.message.to, consent.tenant, error);
      if (retryLater(error)) return { kind: 'retry', error: error instanceof Error ? error : new Error(String(error)) };
      return { kind: 'failed', reason: errorMessage(error) };
    }
  }

  /** Every recipient opted out while the message waited: the row ends `suppressed`, nothing is sent. */
  private async suppress(job: DeliveryJobData, suppressed: string[]): Promise<RunOutcome> {
    const error = new RecipientSuppressedError(job.channel, suppressed);
    try {
      const moved = await this.rows.suppress(job.logId, suppressed, { code: error.code, message: error.message });
      if (!moved) return { kind: 'skipped', reason: 'the message is no longer waiting' };
    } catch (failure) {
      return { kind: 'postpone', reason: `the message log store is unavailable (${errorMessage(failure)})` };
    }
    return { kind: 'skipped', reason: 'every recipient is on the suppression list' };
  }

  /** Jobs enqueued before jobs carried their consent context: the row's requester is the tenant. */
  private async consentOfOlderJob(logId: string): Promise<ConsentContext> {
    const row = await this.rows.find(logId);
    return { tenant: row?.requestedBy ?? 'anonymous', category: DEFAULT_MESSAGE_CATEGORY };
  }

  /**
   * The claim failed: the row is final, gone, or `pending` with no recorded
   * outcome (its last attempt was interrupted). Returns the outcome to stop
   * with, or undefined to send again (an interrupted email).
   */
  private async notClaimed(data: DeliveryJobData, row: QueuedRow | undefined): Promise<RunOutcome | undefined> {
    if (!row) return { kind: 'skipped', reason: 'its log row no longer exists' };
    if (row.status !== 'pending') return { kind: 'skipped', reason: `the message is ${row.status}` };
    if (CHANNEL_PORTS[data.channel].resendAfterInterruption) {
      this.logger.warn(`Message ${data.logId}: the previous attempt was interrupted; sending it again with the same Message-ID`);
      return undefined;
    }
    try {
      await this.rows.failInterrupted(data.logId, INTERRUPTED_MESSAGE);
    } catch (error) {
      return { kind: 'postpone', reason: `the message log store is unavailable (${errorMessage(error)})` };
    }
    this.logger.warn(`Message ${data.logId}: ${INTERRUPTED_MESSAGE}`);
    return { kind: 'failed', reason: INTERRUPTED_MESSAGE };
  }

  /** The provider call for the job's channel, or undefined when that channel has no provider here. */
  private sender<C extends ChannelName>(job: { channel: C; message: ChannelMessages[C] }): Sender | undefined {
    const provider = this.providers.get(job.channel);
    return provider ? { provider: provider.name, send: () => provider.send(job.message) } : undefined;
  }
}

/**
 * Only a failure the provider calls transient is worth another attempt;
 * anything else (a bug, a failure that may have gone out) is final. Reads
 * SendFailedError's `transient`, or a `failover` kind ('transient',
 * 'permanent', 'ambiguous') where a provider declares one, following
 * `cause` through errors that wrap the provider's own (at most 3 deep).
 */
export function isTransient(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 3 && typeof current === 'object' && current !== null; depth++) {
    const { failover, transient, cause } = current as { failover?: unknown; transient?: unknown; cause?: unknown };
    if (typeof failover === 'string') return failover === 'transient';
    if (current instanceof SendFailedError || typeof transient === 'boolean') return transient === true;
    current = cause;
  }
  return false;
}
