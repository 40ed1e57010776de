import { Injectable } from '@nestjs/common';
import { DatabaseHealthIndicator } from './database-health.indicator.js';
import { anyProviderDown, ProviderHealthIndicator, type ProviderHealth } from './provider-health.indicator.js';

/**
 * `healthy`: database and every configured provider answer.
 * `degraded`: the database answers but a configured provider (failover ones included) does not
 * (sends on other channels still work, so the HTTP status stays 200).
 * `unhealthy`: the database does not answer; nothing can be sent (503).
 */
export type OverallHealth = 'healthy' | 'degraded' | 'unhealthy';

export interface HealthReport {
  status: OverallHealth;
  providers: { email: ProviderHealth; sms: ProviderHealth; whatsapp: ProviderHealth };
  database: { status: 'connected' | 'disconnected' };
}

@Injectable()
export class HealthService {
  constructor(
    private readonly database: DatabaseHealthIndicator,
    private readonly providers: ProviderHealthIndicator,
  ) {}

  async report(): Promise<HealthReport> {
    const [databaseUp, email, sms, whatsapp] = await Promise.all([
      this.database.isConnected(),
      this.providers.check('email'),
      this.providers.check('sms'),
      this.providers.check('whatsapp'),
    ]);
    const anyDisconnected = [email, sms, whatsapp].some(anyProviderDown);
    const status: OverallHealth = !databaseUp ? 'unhealthy' : anyDisconnected ? 'degraded' : 'healthy';
    return {
      status,
      providers: { email, sms, whatsapp },
      database: { status: databaseUp ? 'connected' : 'disconnected' },
    };
  }
}
