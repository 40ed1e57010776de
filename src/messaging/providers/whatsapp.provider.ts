import type { ProviderBase, ProviderReceipt } from './provider.interface.js';

export interface WhatsAppMedia {
  /** http(s) URL the provider fetches the media from. */
  url: string;
  contentType?: string;
  filename?: string;
}

export interface OutgoingWhatsApp {
  /** E.164 recipient, without the `whatsapp:` prefix. */
  to: string;
  body: string;
  media?: WhatsAppMedia;
}

/** Port of the WhatsApp channel. */
export interface WhatsAppProvider extends ProviderBase {
  send(message: OutgoingWhatsApp): Promise<ProviderReceipt>;
}

/** Injection token of the WhatsApp provider (`null` when none is configured). */
export const WhatsAppProvider = Symbol('WhatsAppProvider');

export const DEFAULT_WHATSAPP_PROVIDER_NAME = 'twilio';
