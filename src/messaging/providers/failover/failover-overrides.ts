import type { Provider } from '@nestjs/common';
import type { Channel } from '../../errors/messaging.errors.js';
import type { ProviderOverride } from '../../messaging-options.interface.js';
import { isProviderInstance } from '../../messaging-extras.validation.js';
import { MessagingOptionsError } from '../../messaging-options.validation.js';
import type { ProviderBase } from '../provider.interface.js';
import { withFailover, type ChannelProvider } from './failover.provider.js';

/**
 * A host's ordered list of providers for one channel (`providers.sms: [A, b]`)
 * at the channel's token: classes are built by Nest inside the module, then
 * every entry is checked (name, send(), verify(); names unique) and the list
 * becomes a FailoverProvider (or the provider itself when the list has one).
 */
export function overrideList(channel: Channel, token: symbol, entries: ProviderOverride<ProviderBase>[]): Provider[] {
  const built: Provider[] = [];
  const inject: symbol[] = [];
  entries.forEach((entry, index) => {
    const entryToken = Symbol(`${channel} provider ${index + 1}`);
    inject.push(entryToken);
    built.push(typeof entry === 'function' ? { provide: entryToken, useClass: entry } : { provide: entryToken, useValue: entry });
  });
  const factory = (...instances: ProviderBase[]) => {
    instances.forEach((instance, index) => {
      if (!isProviderInstance(instance)) {
        throw new MessagingOptionsError([
          `providers.${channel}[${index}] (${nameOf(entries[index])}) must implement name, send() and verify()`,
        ]);
      }
    });
    const names = instances.map((instance) => instance.name);
    const twice = names.find((name, index) => names.indexOf(name) !== index);
    if (twice !== undefined) throw new MessagingOptionsError([`providers.${channel} names "${twice}" twice: names must be unique`]);
    return withFailover(channel, instances as ChannelProvider<unknown>[]);
  };
  return [...built, { provide: token, useFactory: factory, inject }];
}

function nameOf(entry: ProviderOverride<ProviderBase> | undefined): string {
  return typeof entry === 'function' ? entry.name : 'instance';
}
