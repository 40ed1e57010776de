import type { TwilioOptions } from '../../messaging-options.interface.js';

/**
 * The options of a failover Twilio account, completed from the primary's:
 * its own credentials and address; the primary's SMS sender unless it names
 * its own (`smsFrom` or `messagingServiceSid`: a sender is one choice, so the
 * two go together), the primary's WhatsApp sender unless it names its own,
 * and the primary's deadline and retry policy unless it sets its own.
 */
export function completeFailoverTwilio(primary: TwilioOptions, entry: TwilioOptions): TwilioOptions {
  const ownSmsSender = entry.smsFrom !== undefined || entry.messagingServiceSid !== undefined;
  const smsSender = ownSmsSender ? entry : primary;
  return {
    accountSid: entry.accountSid,
    authToken: entry.authToken,
    ...defined('apiBaseUrl', entry.apiBaseUrl),
    ...defined('smsFrom', smsSender.smsFrom),
    ...defined('messagingServiceSid', smsSender.messagingServiceSid),
    ...defined('whatsappFrom', entry.whatsappFrom ?? primary.whatsappFrom),
    ...defined('timeoutMs', entry.timeoutMs ?? primary.timeoutMs),
    ...defined('maxRetries', entry.maxRetries ?? primary.maxRetries),
    ...defined('retryBackoffMs', entry.retryBackoffMs ?? primary.retryBackoffMs),
  };
}

/** `{ key: value }`, or nothing when the value is undefined (so no key is set to undefined). */
function defined<K extends keyof TwilioOptions>(key: K, value: TwilioOptions[K]): Partial<TwilioOptions> {
  return value === undefined ? {} : { [key]: value };
}
