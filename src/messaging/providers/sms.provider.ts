import type { ProviderBase, ProviderReceipt } from './provider.interface.js';

export interface OutgoingSms {
  /** E.164 recipient. */
  to: string;
  body: string;
}

/** Port of the SMS channel. `receipt.messageId` is the provider's message id (Twilio SID). */
export interface SmsProvider extends ProviderBase {
  send(sms: OutgoingSms): Promise<ProviderReceipt>;
}

/** Injection token of the SMS provider (`null` when none is configured). */
export const SmsProvider = Symbol('SmsProvider');

export const DEFAULT_SMS_PROVIDER_NAME = 'twilio';
