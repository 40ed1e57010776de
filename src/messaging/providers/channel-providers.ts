import type { Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { ChannelName } from '../common/channel-names.js';
import { CHANNEL_PORTS, type ChannelProvider } from './channel-ports.js';

type Lookup = (channel: ChannelName) => ChannelProvider<ChannelName> | null;

/**
 * The configured provider of each channel, looked up by channel name, so the code that serves every
 * channel (the send flow, the queue's processor, health) needs no per-channel constructor parameter or
 * switch. A channel whose token holds `null` (not configured) answers null.
 */
export class ChannelProviders {
  private readonly resolved = new Map<ChannelName, ChannelProvider<ChannelName> | null>();

  private constructor(private readonly lookup: Lookup) {}

  /** The providers registered in the module under each channel's token (CHANNEL_PORTS). */
  static fromModule(moduleRef: ModuleRef): ChannelProviders {
    return new ChannelProviders((channel) => moduleRef.get<ChannelProvider<ChannelName> | null>(CHANNEL_PORTS[channel].token, { strict: true }) ?? null);
  }

  /** Given providers (channels left out have none): for code used outside a Nest module. */
  static of(providers: { [C in ChannelName]?: ChannelProvider<C> | null }): ChannelProviders {
    return new ChannelProviders((channel) => providers[channel] ?? null);
  }

  get<C extends ChannelName>(channel: C): ChannelProvider<C> | null {
    if (!this.resolved.has(channel)) this.resolved.set(channel, this.lookup(channel));
    return (this.resolved.get(channel) as ChannelProvider<C> | null | undefined) ?? null;
  }
}

/** Registers ChannelProviders in MessagingModule, resolved from the module's own provider tokens. */
export const channelProvidersProvider: Provider = {
  provide: ChannelProviders,
  useFactory: (moduleRef: ModuleRef) => ChannelProviders.fromModule(moduleRef),
  inject: [ModuleRef],
};
