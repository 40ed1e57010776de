import type { ChannelName } from '../common/channel-names.js';
import { DEFAULT_EMAIL_PROVIDER_NAME, EmailProvider, type OutgoingEmail } from './email.provider.js';
import type { ProviderBase, ProviderReceipt } from './provider.interface.js';
import { DEFAULT_SMS_PROVIDER_NAME, SmsProvider, type OutgoingSms } from './sms.provider.js';
import { DEFAULT_WHATSAPP_PROVIDER_NAME, WhatsAppProvider, type OutgoingWhatsApp } from './whatsapp.provider.js';

/** What each channel's provider is handed: the message rendered and ready to send. One key per channel. */
export interface ChannelMessages {
  email: OutgoingEmail;
  sms: OutgoingSms;
  whatsapp: OutgoingWhatsApp;
}

/** The port of channel C: what the built-in and the host's providers of that channel implement. */
export interface ChannelProvider<C extends ChannelName> extends ProviderBase {
  send(message: ChannelMessages[C]): Promise<ProviderReceipt>;
}

/** What the rest of the module needs to know of a channel's provider side. */
export interface ChannelPort {
  /** The injection token of the channel's provider (`null` when none is configured). */
  token: symbol;
  /** The provider name health shows while the channel is not configured. */
  defaultProviderName: string;
  /**
   * Whether a queued message may be handed to the provider again after a worker died mid-send without
   * knowing whether it went out. Email: yes, its Message-ID is derived from the log row, so a second copy
   * is the same message to receivers that de-duplicate. Twilio (SMS, WhatsApp): no, a second Create
   * Message call is a second message on the recipient's phone.
   */
  resendAfterInterruption: boolean;
}

/** The channel registry's provider side: one entry per channel, checked against ChannelName. */
export const CHANNEL_PORTS = {
  email: { token: EmailProvider, defaultProviderName: DEFAULT_EMAIL_PROVIDER_NAME, resendAfterInterruption: true },
  sms: { token: SmsProvider, defaultProviderName: DEFAULT_SMS_PROVIDER_NAME, resendAfterInterruption: false },
  whatsapp: { token: WhatsAppProvider, defaultProviderName: DEFAULT_WHATSAPP_PROVIDER_NAME, resendAfterInterruption: false },
} as const satisfies Record<ChannelName, ChannelPort>;
