import type { Logger } from '@nestjs/common';
import type { WebhookEvent } from './webhook-event.js';
import type { WebhookHealth } from './webhook-health.js';
import { WebhookAttemptError, type WebhookSender } from './webhook-sender.js';
import { WEBHOOK_ATTEMPTS, webhookRetryDelayMs } from './webhook-settings.js';
import { describeWebhookUrl } from './webhook-target.js';
import { errorMessage } from '../common/describe-error.js';

/**
 * Deliveries still being attempted or waiting for a retry, at most: beyond
 * it a new event is dropped (logged, and shown in health) rather than
 * letting a dead receiver grow the process's memory without bound.
 */
export const MAX_PENDING_WEBHOOKS = 1_000;

/**
 * Webhook deliveries without Redis: the same attempts and backoff as the
 * BullMQ queue, on timers of this process. Best effort: what is still
 * pending when the process stops (or crashes) is lost.
 */
export class InProcessDeliveries {
  private pending = 0;
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly sender: WebhookSender,
    private readonly health: WebhookHealth,
    private readonly backoffMs: number,
    private readonly logger: Logger,
  ) {}

  /** Starts delivering `event` to `url`; returns at once. */
  deliver(url: string, event: WebhookEvent): void {
    if (this.closed) return;
    if (this.pending >= MAX_PENDING_WEBHOOKS) {
      this.logger.warn(`Webhook ${event.id} to ${describeWebhookUrl(url)} dropped: ${MAX_PENDING_WEBHOOKS} deliveries already pending`);
      this.health.failed(url, 'dropped: too many deliveries pending', 'dropped');
      return;
    }
    this.pending++;
    void this.attempt(url, event, 1);
  }

  /** Stops retrying; what is pending is lost (documented: best effort without Redis). */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.pending > 0) this.logger.warn(`${this.pending} webhook deliveries dropped at shutdown (no Redis to keep them)`);
  }

  private async attempt(url: string, event: WebhookEvent, attempt: number): Promise<void> {
    try {
      await this.sender.post(url, event);
      this.pending--;
      this.health.delivered();
    } catch (error) {
      const reason = error instanceof WebhookAttemptError ? error.reason : errorMessage(error);
      this.health.failed(url, reason, attempt >= WEBHOOK_ATTEMPTS ? 'failed' : 'retrying');
      if (this.closed) return;
      if (attempt >= WEBHOOK_ATTEMPTS) {
        this.pending--;
        this.logger.warn(`Webhook ${event.id} to ${describeWebhookUrl(url)} given up after ${attempt} attempts: ${reason}`);
        return;
      }
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.attempt(url, event, attempt + 1);
      }, webhookRetryDelayMs(attempt, this.backoffMs));
      this.timers.add(timer);
    }
  }
}
