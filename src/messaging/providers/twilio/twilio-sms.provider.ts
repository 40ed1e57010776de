import type { TwilioOptions } from '../../messaging-options.interface.js';
import type { ProviderReceipt } from '../provider.interface.js';
import type { OutgoingSms, SmsProvider } from '../sms.provider.js';
import type { TwilioGateway, TwilioMessageParams } from './twilio-gateway.js';

/** Who an SMS is sent as: a Messaging Service (Twilio picks the number) or one number. */
export type SmsSender = { messagingServiceSid: string } | { from: string };

/**
 * The configured SMS sender, or undefined when SMS is not configured. A
 * Messaging Service wins over a From number when both are set (its sender
 * pool and compliance settings are the reason to configure one).
 */
export function smsSenderOf(options: TwilioOptions): SmsSender | undefined {
  if (options.messagingServiceSid) return { messagingServiceSid: options.messagingServiceSid };
  if (options.smsFrom) return { from: options.smsFrom };
  return undefined;
}

/** Twilio Create Message parameters of one SMS. */
export function smsMessageParams(sender: SmsSender, sms: OutgoingSms): TwilioMessageParams {
  return { to: sms.to, body: sms.body, ...sender };
}

/** SmsProvider over Twilio Programmable Messaging. */
export class TwilioSmsProvider implements SmsProvider {
  /** The gateway's: `twilio`, or `twilio-2`... for failover accounts. */
  readonly name: string;

  constructor(
    private readonly gateway: TwilioGateway,
    private readonly sender: SmsSender,
  ) {
    this.name = gateway.name;
  }

  verify(signal: AbortSignal): Promise<void> {
    return this.gateway.verifyAccount(signal);
  }

  send(sms: OutgoingSms): Promise<ProviderReceipt> {
    return this.gateway.createMessage('sms', smsMessageParams(this.sender, sms));
  }
}
