import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { HEALTH_CACHE_TTL_MS, HEALTH_CHECK_TIMEOUT_MS } from '../messaging.constants.js';
import type { MessageChannel } from '../logs/message-log.schema.js';
import { DEFAULT_EMAIL_PROVIDER_NAME, EmailProvider } from '../providers/email.provider.js';
import type { ProviderBase } from '../providers/provider.interface.js';
import { DEFAULT_SMS_PROVIDER_NAME, SmsProvider } from '../providers/sms.provider.js';
import { DEFAULT_WHATSAPP_PROVIDER_NAME, WhatsAppProvider } from '../providers/whatsapp.provider.js';

export type ProviderState = 'connected' | 'disconnected' | 'not_configured';

export interface ProviderHealth {
  provider: string;
  status: ProviderState;
}

/**
 * One Terminus indicator per channel. A configured provider is verified
 * with a timeout, and the outcome is cached briefly so /messaging/health can
 * neither hang on a provider nor hammer it.
 */
@Injectable()
export class ProviderHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Optional() @Inject(EmailProvider) private readonly email: EmailProvider | null,
    @Optional() @Inject(SmsProvider) private readonly sms: SmsProvider | null,
    @Optional() @Inject(WhatsAppProvider) private readonly whatsapp: WhatsAppProvider | null,
  ) {}

  async check(channel: MessageChannel): Promise<ProviderHealth> {
    const [provider, defaultName] = this.providerOf(channel);
    if (!provider) return { provider: defaultName, status: 'not_configured' };
    const result = await this.indicators
      .check(`messaging-provider-${channel}`)
      .attempt(({ signal }) => provider.verify(signal))
      .withTimeout(HEALTH_CHECK_TIMEOUT_MS)
      .cacheFor(HEALTH_CACHE_TTL_MS);
    const up = Object.values(result)[0]?.status === 'up';
    return { provider: provider.name, status: up ? 'connected' : 'disconnected' };
  }

  private providerOf(channel: MessageChannel): [ProviderBase | null, string] {
    switch (channel) {
      case 'email':
        return [this.email ?? null, DEFAULT_EMAIL_PROVIDER_NAME];
      case 'sms':
        return [this.sms ?? null, DEFAULT_SMS_PROVIDER_NAME];
      case 'whatsapp':
        return [this.whatsapp ?? null, DEFAULT_WHATSAPP_PROVIDER_NAME];
    }
  }
}
