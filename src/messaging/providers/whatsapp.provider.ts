import type { ProviderBase, ProviderReceipt } from './provider.interface.js';

export interface WhatsAppMedia {
  /** http(s) URL the provider fetches the media from. */
  url: string;
  contentType?: string;
  filename?: string;
}

/** Free text: allowed within 24 hours of the recipient's last message (WhatsApp's session window). */
export interface WhatsAppText {
  /** E.164 recipient, without the `whatsapp:` prefix. */
  to: string;
  body: string;
  media?: WhatsAppMedia;
  contentSid?: undefined;
}

/** An approved template (Twilio Content API): allowed at any time. */
export interface WhatsAppTemplate {
  /** E.164 recipient, without the `whatsapp:` prefix. */
  to: string;
  /** Twilio Content SID, `HX` + 32 hex digits. */
  contentSid: string;
  /** Values of the template's placeholders, by placeholder key. */
  contentVariables?: Record<string, string>;
  body?: undefined;
  media?: undefined;
}

/** One WhatsApp message: free text, or an approved template (`contentSid` set). */
export type OutgoingWhatsApp = WhatsAppText | WhatsAppTemplate;

/** Port of the WhatsApp channel. */
export interface WhatsAppProvider extends ProviderBase {
  send(message: OutgoingWhatsApp): Promise<ProviderReceipt>;
}

/** Injection token of the WhatsApp provider (`null` when none is configured). */
export const WhatsAppProvider = Symbol('WhatsAppProvider');

export const DEFAULT_WHATSAPP_PROVIDER_NAME = 'twilio';
