import { Inject, Injectable } from '@nestjs/common';
import { MESSAGING_OPTIONS } from '../messaging.module-definition.js';
import type { MessagingModuleOptions } from '../messaging-options.interface.js';
import { CHANNEL_NAMES, type ChannelName } from '../common/channel-names.js';
import { DatabaseHealthIndicator } from './database-health.indicator.js';
import { anyProviderDown, ProviderHealthIndicator, type ProviderHealth } from './provider-health.indicator.js';
import { RedisHealthIndicator, type RedisHealth } from './redis-health.indicator.js';
import { QueueHealthIndicator, type QueueHealth } from '../queue/queue-health.indicator.js';
import { WebhookHealth, type WebhooksHealth } from '../status-webhooks/webhook-health.js';

/**
 * `healthy`: database and every configured provider answer.
 * `degraded`: the database answers but a configured provider (failover ones included) does not
 * (sends on other channels still work, so the HTTP status stays 200).
 * `unhealthy`: the database does not answer; nothing can be sent (503).
 * A configured Redis that does not answer is `degraded`, never `unhealthy`:
 * synchronous sends still work and rate limits are counted per instance.
 */
export type OverallHealth = 'healthy' | 'degraded' | 'unhealthy';

export interface HealthReport {
  status: OverallHealth;
  providers: Record<ChannelName, ProviderHealth>;
  database: { status: 'connected' | 'disconnected' };
  /** Only when `redis` is configured. */
  redis?: RedisHealth;
  /** Present when Redis is configured; disconnected makes the report `degraded` (synchronous sends still work). */
  queue?: QueueHealth;
  /** Only when webhooks are configured: how many receivers, and this process's last failed attempt. Never changes `status`. */
  webhooks?: WebhooksHealth;
  /** Delivery receipts: `on` while `publicBaseUrl` is set (Twilio status callbacks), else `off`. */
  receipts: 'on' | 'off';
}

@Injectable()
export class HealthService {
  constructor(
    private readonly database: DatabaseHealthIndicator,
    private readonly providers: ProviderHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly queue: QueueHealthIndicator,
    private readonly webhooks: WebhookHealth,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
  ) {}

  async report(): Promise<HealthReport> {
    const [databaseUp, channels, redis, queue] = await Promise.all([
      this.database.isConnected(),
      Promise.all(CHANNEL_NAMES.map(async (channel) => [channel, await this.providers.check(channel)] as const)),
      this.redis.check(),
      this.queue.check(),
    ]);
    const providers = Object.fromEntries(channels) as Record<ChannelName, ProviderHealth>;
    const redisDown = redis?.status === 'disconnected' || queue?.status === 'disconnected';
    const anyDisconnected = Object.values(providers).some(anyProviderDown) || redisDown;
    const status: OverallHealth = !databaseUp ? 'unhealthy' : anyDisconnected ? 'degraded' : 'healthy';
    return {
      status,
      providers,
      database: { status: databaseUp ? 'connected' : 'disconnected' },
      ...(redis ? { redis } : {}),
      ...(queue ? { queue } : {}),
      ...this.webhooksReport(),
      receipts: this.options.publicBaseUrl === undefined ? 'off' : 'on',
    };
  }

  private webhooksReport(): { webhooks?: WebhooksHealth } {
    const webhooks = this.webhooks.report();
    return webhooks ? { webhooks } : {};
  }
}
