import type { Provider } from '@nestjs/common';
import { MESSAGING_EXTRAS, MESSAGING_OPTIONS } from '../../messaging.module-definition.js';
import type { MessagingModuleExtras, MessagingModuleOptions, TwilioOptions } from '../../messaging-options.interface.js';
import { normalisePublicBaseUrl, publicUrlOf } from '../../common/public-base-url.js';
import { TWILIO_STATUS_ROUTE } from '../../common/delivery-receipts.js';
import { failoverName } from '../failover/failover-names.js';
import { withFailover } from '../failover/failover.provider.js';
import { SmsProvider } from '../sms.provider.js';
import { WhatsAppProvider } from '../whatsapp.provider.js';
import { completeFailoverTwilio } from './twilio-failover-options.js';
import { TWILIO_PROVIDER_NAME, TwilioGateway } from './twilio-gateway.js';
import { smsSenderOf, TwilioSmsProvider } from './twilio-sms.provider.js';
import { TwilioWhatsAppProvider } from './twilio-whatsapp.provider.js';

/** Injection token of the shared TwilioGateway (`null` without Twilio credentials). */
export const TWILIO_GATEWAY = Symbol('TwilioGateway');

/**
 * The gateway, built once from options. Both the SMS and the WhatsApp
 * registrations list this same provider so that either works alone; Nest
 * keeps one provider per token, so there is still one SDK client.
 */
export const twilioGatewayProvider: Provider = {
  provide: TWILIO_GATEWAY,
  useFactory: (options: MessagingModuleOptions, extras: MessagingModuleExtras): TwilioGateway | null =>
    options.twilio ? TwilioGateway.fromOptions(options.twilio, undefined, statusCallbackUrl(options, extras)) : null,
  inject: [MESSAGING_OPTIONS, MESSAGING_EXTRAS],
};


/**
 * `<publicBaseUrl>/<routePrefix>/webhooks/twilio/status`, or undefined while
 * `publicBaseUrl` is unset (receipts off: creates carry no StatusCallback).
 * A worker process (`controllers: false`) builds the same URL from the same
 * options, so it must share the API's `routePrefix`.
 */
export function statusCallbackUrl(options: MessagingModuleOptions, extras: MessagingModuleExtras): string | undefined {
  if (options.publicBaseUrl === undefined) return undefined;
  const prefix = (extras.routePrefix ?? 'messaging').replace(/^\/+|\/+$/g, '');
  return publicUrlOf(normalisePublicBaseUrl(options.publicBaseUrl), prefix === '' ? TWILIO_STATUS_ROUTE : `${prefix}/${TWILIO_STATUS_ROUTE}`);
}

/** One Twilio account (or compatible endpoint) of the failover order: its gateway and its completed options. */
export interface TwilioAccount {
  gateway: TwilioGateway;
  options: TwilioOptions;
}

/** Injection token of every TwilioAccount in failover order, the primary (TWILIO_GATEWAY) first; `[]` without Twilio. */
export const TWILIO_ACCOUNTS = Symbol('TwilioAccounts');

/** The accounts, built once and shared by SMS and WhatsApp like the primary gateway: `twilio`, `twilio-2`... */
export const twilioAccountsProvider: Provider = {
  provide: TWILIO_ACCOUNTS,
  useFactory: (options: MessagingModuleOptions, gateway: TwilioGateway | null, extras: MessagingModuleExtras): TwilioAccount[] => {
    const primary = options.twilio;
    if (!primary || !gateway) return [];
    const statusCallback = statusCallbackUrl(options, extras);
    const failover = (options.twilioFailover ?? []).map((entry, index) => {
      const completed = completeFailoverTwilio(primary, entry);
      const name = failoverName(TWILIO_PROVIDER_NAME, index + 1);
      return { gateway: TwilioGateway.fromOptions(completed, name, statusCallback), options: completed };
    });
    return [{ gateway, options: primary }, ...failover];
  },
  inject: [MESSAGING_OPTIONS, TWILIO_GATEWAY, MESSAGING_EXTRAS],
};

/**
 * SMS over the Twilio accounts that have an SMS sender (number or Messaging
 * Service): `null` without any, the one provider alone, or a
 * FailoverProvider over them in order.
 */
export const twilioSmsProvider: Provider = {
  provide: SmsProvider,
  useFactory: (accounts: TwilioAccount[]): SmsProvider | null =>
    withFailover(
      'sms',
      accounts.flatMap(({ gateway, options }) => {
        const sender = smsSenderOf(options);
        return sender ? [new TwilioSmsProvider(gateway, sender)] : [];
      }),
    ),
  inject: [TWILIO_ACCOUNTS],
};

/** WhatsApp over the Twilio accounts that have a WhatsApp sender, like SMS. */
export const twilioWhatsAppProvider: Provider = {
  provide: WhatsAppProvider,
  useFactory: (accounts: TwilioAccount[]): WhatsAppProvider | null =>
    withFailover(
      'whatsapp',
      accounts.flatMap(({ gateway, options }) =>
        options.whatsappFrom ? [new TwilioWhatsAppProvider(gateway, options.whatsappFrom)] : [],
      ),
    ),
  inject: [TWILIO_ACCOUNTS],
};
