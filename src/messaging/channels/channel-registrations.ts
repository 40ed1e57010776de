import type { Provider, Type } from '@nestjs/common';
import { CHANNEL_NAMES, type ChannelName } from '../common/channel-names.js';
import type { ChannelRegistration } from './channel-registration.js';
import { ChannelSender } from './channel-sender.js';
import { BatchSender } from './batch-sender.js';
import { emailRegistration } from './email/email.registration.js';
import { smsRegistration } from './sms/sms.registration.js';
import { whatsappRegistration } from './whatsapp/whatsapp.registration.js';

/**
 * The channel registry's module side: one entry per channel name (common/channel-names.ts), its
 * provider side being CHANNEL_PORTS (providers/channel-ports.ts). MessagingModule takes every channel's
 * routes, providers and exports from here.
 */
export const CHANNEL_REGISTRATIONS = {
  email: emailRegistration,
  sms: smsRegistration,
  whatsapp: whatsappRegistration,
} as const satisfies Record<ChannelName, ChannelRegistration>;

const registrations = (): ChannelRegistration[] => CHANNEL_NAMES.map((channel) => CHANNEL_REGISTRATIONS[channel]);

export function channelControllers(): Type<unknown>[] {
  return registrations().flatMap((registration) => registration.controllers);
}

/** Every channel's providers, and the send flow they share. */
export function channelProviders(): Provider[] {
  return [ChannelSender, BatchSender, ...registrations().flatMap((registration) => registration.providers)];
}

export function channelExports(): Type<unknown>[] {
  return registrations().flatMap((registration) => registration.exports);
}
