import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { StatusAnnouncements, type StatusChange } from '../common/status-announcements.js';
import { errorMessage } from '../common/describe-error.js';
import { MESSAGING_OPTIONS } from '../messaging.module-definition.js';
import type { MessagingModuleOptions } from '../messaging-options.interface.js';
import { InProcessDeliveries } from './in-process-deliveries.js';
import { isAnnounced, webhookEventOf } from './webhook-event.js';
import { WebhookHealth } from './webhook-health.js';
import { WebhookQueue } from './webhook-queue.js';
import { WebhookSender } from './webhook-sender.js';
import { webhookSettingsOf, type WebhookSettings } from './webhook-settings.js';

/**
 * Posts every announced status change (StatusAnnouncements) to each
 * configured receiver, signed by Standard Webhooks. With Redis each delivery
 * is a BullMQ job (at least once, across restarts); without it, or when
 * Redis does not take the job, it is retried in this process (best effort).
 * Nothing here is awaited by a request: announcements arrive after the move
 * that made them, and a delivery only starts from here.
 */
@Injectable()
export class WebhookDispatcher implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly settings: WebhookSettings | undefined;
  private inProcess?: InProcessDeliveries;
  private queue?: WebhookQueue;
  private unsubscribe?: () => void;

  constructor(
    @Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions,
    private readonly announcements: StatusAnnouncements,
    private readonly health: WebhookHealth,
  ) {
    this.settings = webhookSettingsOf(options);
  }

  onModuleInit(): void {
    const settings = this.settings;
    if (!settings) return;
    const sender = new WebhookSender(settings.secret);
    this.inProcess = new InProcessDeliveries(sender, this.health, settings.backoffMs, this.logger);
    if (settings.redis) this.queue = new WebhookQueue(settings.redis, settings.backoffMs, sender, this.health, this.logger);
    this.health.configured(settings.urls.length);
    this.unsubscribe = this.announcements.subscribe((change) => this.dispatch(change));
  }

  onApplicationBootstrap(): void {
    this.queue?.startWorker();
  }

  /** The worker first, as the delivery worker does, so a job in progress finishes. */
  async onModuleDestroy(): Promise<void> {
    await this.queue?.closeWorker();
  }

  /** After the HTTP server has drained: moves made by the last requests are still announced and queued. */
  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    this.inProcess?.close();
    await this.queue?.close();
  }

  private dispatch(change: StatusChange): void {
    const { settings, inProcess } = this;
    if (!settings || !inProcess || !isAnnounced(change.status)) return;
    const event = webhookEventOf(change);
    settings.urls.forEach((url, receiver) => {
      if (!this.queue) return inProcess.deliver(url, event);
      this.queue.add(url, event, receiver).catch((error: unknown) => {
        this.logger.warn(`Webhook ${event.id} not queued (${errorMessage(error)}); retried in this process instead`);
        inProcess.deliver(url, event);
      });
    });
  }
}
