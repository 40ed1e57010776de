import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { HEALTH_CACHE_TTL_MS, HEALTH_CHECK_TIMEOUT_MS } from '../messaging.constants.js';
import type { ChannelName } from '../common/channel-names.js';
import { CHANNEL_PORTS } from '../providers/channel-ports.js';
import { ChannelProviders } from '../providers/channel-providers.js';
import { FailoverProvider } from '../providers/failover/failover.provider.js';
import type { ProviderBase } from '../providers/provider.interface.js';

export type ProviderState = 'connected' | 'disconnected' | 'not_configured';

/** A configured provider is either answering or not. */
export type ConfiguredProviderState = Exclude<ProviderState, 'not_configured'>;

/**
 * A channel's health: its primary provider (`provider`, `status`, as without
 * failover) and, when the channel has failover providers, each of them in
 * order and `channelStatus`, `connected` while at least one answers.
 */
export interface ProviderHealth {
  provider: string;
  status: ProviderState;
  failover?: { provider: string; status: ConfiguredProviderState }[];
  channelStatus?: ConfiguredProviderState;
}

/** True when a configured provider of the channel, primary or failover, does not answer. */
export function anyProviderDown(health: ProviderHealth): boolean {
  return health.status === 'disconnected' || (health.failover ?? []).some((p) => p.status === 'disconnected');
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
    private readonly providers: ChannelProviders,
  ) {}

  async check(channel: ChannelName): Promise<ProviderHealth> {
    const provider = this.providers.get(channel);
    const defaultName = CHANNEL_PORTS[channel].defaultProviderName;
    if (!provider) return { provider: defaultName, status: 'not_configured' };
    const key = `messaging-provider-${channel}`;
    if (!(provider instanceof FailoverProvider)) return this.verify(provider, key);
    // Each provider is checked (and cached) on its own; the primary keeps the key it has without failover.
    const [primary, ...failover] = await Promise.all(
      provider.providers.map((member, index) => this.verify(member, index === 0 ? key : `${key}-${member.name}`)),
    );
    if (!primary) return { provider: defaultName, status: 'not_configured' };
    const anyUp = [primary, ...failover].some((p) => p.status === 'connected');
    return { ...primary, failover, channelStatus: anyUp ? 'connected' : 'disconnected' };
  }

  private async verify(provider: ProviderBase, key: string): Promise<{ provider: string; status: ConfiguredProviderState }> {
    const result = await this.indicators
      .check(key)
      .attempt(({ signal }) => provider.verify(signal))
      .withTimeout(HEALTH_CHECK_TIMEOUT_MS)
      .cacheFor(HEALTH_CACHE_TTL_MS);
    const up = Object.values(result)[0]?.status === 'up';
    return { provider: provider.name, status: up ? 'connected' : 'disconnected' };
  }
}
