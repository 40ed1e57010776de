import twilio from 'twilio';
import type { TwilioOptions } from '../../messaging-options.interface.js';

/** The SDK's REST client. */
export type TwilioClient = twilio.Twilio;

/**
 * Builds the one Twilio SDK client of the module. With `apiBaseUrl`, every
 * call goes to that origin (and path prefix) instead of https://api.twilio.com,
 * keeping Twilio's paths (`/2010-04-01/Accounts/{Sid}/Messages.json`).
 *
 * How: in twilio 6 each API domain object carries a `baseUrl` from which
 * every request URL is built (Domain.absoluteUrl); the Api domain (the only
 * one we use: Messages and Accounts) is replaced here once, before any
 * request, and never touched again.
 */
export function createTwilioClient(options: TwilioOptions, timeoutMs: number): TwilioClient {
  const custom = options.apiBaseUrl !== undefined;
  const client = new twilio.Twilio(options.accountSid, options.authToken, {
    // Socket inactivity timeout of the SDK; withDeadline bounds the whole call.
    timeout: timeoutMs,
    // We retry ourselves, with our own classification.
    autoRetry: false,
    userAgentExtensions: ['fluxkit-messaging'],
    // TWILIO_EDGE / TWILIO_REGION rewrite twilio.com host names; they must
    // not rewrite a custom host (an empty value stops the SDK reading them).
    ...(custom ? { edge: '', region: '' } : {}),
  });
  if (options.apiBaseUrl !== undefined) client.api.baseUrl = options.apiBaseUrl.replace(/\/+$/, '');
  return client;
}
