import { Injectable } from '@nestjs/common';
import { DatabaseHealthIndicator } from './database-health.indicator.js';
import { ProviderHealthIndicator, type ProviderHealth } from './provider-health.indicator.js';
import { QueueHealthIndicator, type QueueHealth } from '../queue/queue-health.indicator.js';

/**
 * `healthy`: database and every configured provider answer.
 * `degraded`: the database answers but a configured provider does not
 * (sends on other channels still work, so the HTTP status stays 200).
 * `unhealthy`: the database does not answer; nothing can be sent (503).
 */
export type OverallHealth = 'healthy' | 'degraded' | 'unhealthy';

export interface HealthReport {
  status: OverallHealth;
  providers: { email: ProviderHealth; sms: ProviderHealth; whatsapp: ProviderHealth };
  database: { status: 'connected' | 'disconnected' };
  /** Present when Redis is configured; disconnected makes the report `degraded` (synchronous sends still work). */
  queue?: QueueHealth;
}

@Injectable()
export class HealthService {
  constructor(
    private readonly database: DatabaseHealthIndicator,
    private readonly providers: ProviderHealthIndicator,
    private readonly queue: QueueHealthIndicator,
  ) {}

  async report(): Promise<HealthReport> {
    const [databaseUp, email, sms, whatsapp, queue] = await Promise.all([
      this.database.isConnected(),
      this.providers.check('email'),
      this.providers.check('sms'),
      this.providers.check('whatsapp'),
      this.queue.check(),
    ]);
    const anyDisconnected = [email, sms, whatsapp, ...(queue ? [queue] : [])].some((p) => p.status === 'disconnected');
    const status: OverallHealth = !databaseUp ? 'unhealthy' : anyDisconnected ? 'degraded' : 'healthy';
    return {
      status,
      providers: { email, sms, whatsapp },
      database: { status: databaseUp ? 'connected' : 'disconnected' },
      ...(queue ? { queue } : {}),
    };
  }
}
