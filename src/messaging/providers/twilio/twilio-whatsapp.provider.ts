import type { ProviderReceipt } from '../provider.interface.js';
import type { SendFailureDetails } from '../../errors/messaging.errors.js';
import { ProviderSendError } from '../provider-failure.js';
import type { OutgoingWhatsApp, WhatsAppProvider } from '../whatsapp.provider.js';
import type { TwilioGateway, TwilioMessageParams } from './twilio-gateway.js';

/** Twilio addresses WhatsApp users and senders as `whatsapp:+E164`. */
export function whatsAppAddress(e164: string): string {
  return `whatsapp:${e164}`;
}

/** Twilio's "outside the allowed window" refusal of a free-text WhatsApp message. */
export const OUTSIDE_SESSION_WINDOW = 63016;

/**
 * Twilio Create Message parameters of one WhatsApp message. Media goes as
 * `MediaUrl`, which Twilio fetches itself; Twilio takes the content type
 * from that response, so `contentType` and `filename` are not sent. An
 * approved template goes as `ContentSid`, its variables as `ContentVariables`,
 * a JSON string (what the Content API expects), and no Body.
 */
export function whatsAppMessageParams(from: string, message: OutgoingWhatsApp): TwilioMessageParams {
  const addresses = { to: whatsAppAddress(message.to), from: whatsAppAddress(from) };
  if (message.contentSid !== undefined) {
    const { contentSid, contentVariables } = message;
    return { ...addresses, contentSid, ...(contentVariables ? { contentVariables: JSON.stringify(contentVariables) } : {}) };
  }
  return {
    ...addresses,
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

  async send(message: OutgoingWhatsApp): Promise<ProviderReceipt> {
    try {
      return await this.gateway.createMessage('whatsapp', whatsAppMessageParams(this.from, message));
    } catch (error) {
      throw message.contentSid === undefined ? explainSessionWindow(error, this.name) : error;
    }
  }
}

/**
 * 63016 says only "outside the allowed window"; the caller needs the fix: free text reaches a WhatsApp
 * user only within 24 hours of their last message, an approved template at any time.
 */
function explainSessionWindow(error: unknown, provider: string): unknown {
  if (!(error instanceof ProviderSendError) || error.details?.['providerCode'] !== OUTSIDE_SESSION_WINDOW) return error;
  const message =
    'Failed to send whatsapp: the recipient has not written in the last 24 hours, and WhatsApp takes free text only within ' +
    'that 24-hour session window (Twilio 63016). Send an approved template instead: contentSid (and contentVariables) in place of body';
  const details: SendFailureDetails = { channel: 'whatsapp', provider, providerCode: OUTSIDE_SESSION_WINDOW };
  return new ProviderSendError(message, details, error.failover);
}
