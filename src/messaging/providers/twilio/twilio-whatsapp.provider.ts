import type { ProviderReceipt } from '../provider.interface.js';
import type { OutgoingWhatsApp, WhatsAppProvider } from '../whatsapp.provider.js';
import type { TwilioGateway, TwilioMessageParams } from './twilio-gateway.js';

/** Twilio addresses WhatsApp users and senders as `whatsapp:+E164`. */
export function whatsAppAddress(e164: string): string {
  return `whatsapp:${e164}`;
}

/**
 * Twilio Create Message parameters of one WhatsApp message. Media goes as
 * `MediaUrl`, which Twilio fetches itself; Twilio takes the content type
 * from that response, so `contentType` and `filename` are not sent.
 */
export function whatsAppMessageParams(from: string, message: OutgoingWhatsApp): TwilioMessageParams {
  return {
    to: whatsAppAddress(message.to),
    from: whatsAppAddress(from),
    body: message.body,
    ...(message.media ? { mediaUrl: [message.media.url] } : {}),
  };
}

/** WhatsAppProvider over Twilio's WhatsApp channel. */
export class TwilioWhatsAppProvider implements WhatsAppProvider {
  /** The gateway's: `twilio`, or `twilio-2`... for failover accounts. */
  readonly name: string;

  constructor(
    private readonly gateway: TwilioGateway,
    /** E.164 sender, without the `whatsapp:` prefix. */
    private readonly from: string,
  ) {
    this.name = gateway.name;
  }

  verify(signal: AbortSignal): Promise<void> {
    return this.gateway.verifyAccount(signal);
  }

  send(message: OutgoingWhatsApp): Promise<ProviderReceipt> {
    return this.gateway.createMessage('whatsapp', whatsAppMessageParams(this.from, message));
  }
}
