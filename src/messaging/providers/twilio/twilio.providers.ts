import type { Provider } from '@nestjs/common';
import { MESSAGING_OPTIONS } from '../../messaging.module-definition.js';
import type { MessagingModuleOptions } from '../../messaging-options.interface.js';
import { SmsProvider } from '../sms.provider.js';
import { WhatsAppProvider } from '../whatsapp.provider.js';
import { TwilioGateway } from './twilio-gateway.js';
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
  useFactory: (options: MessagingModuleOptions): TwilioGateway | null =>
    options.twilio ? TwilioGateway.fromOptions(options.twilio) : null,
  inject: [MESSAGING_OPTIONS],
};

/** SMS over Twilio when credentials and a sender (number or Messaging Service) are configured; else `null`. */
export const twilioSmsProvider: Provider = {
  provide: SmsProvider,
  useFactory: (options: MessagingModuleOptions, gateway: TwilioGateway | null): SmsProvider | null => {
    const sender = options.twilio ? smsSenderOf(options.twilio) : undefined;
    return gateway && sender ? new TwilioSmsProvider(gateway, sender) : null;
  },
  inject: [MESSAGING_OPTIONS, TWILIO_GATEWAY],
};

/** WhatsApp over Twilio when credentials and a WhatsApp sender are configured; else `null`. */
export const twilioWhatsAppProvider: Provider = {
  provide: WhatsAppProvider,
  useFactory: (options: MessagingModuleOptions, gateway: TwilioGateway | null): WhatsAppProvider | null => {
    const from = options.twilio?.whatsappFrom;
    return gateway && from ? new TwilioWhatsAppProvider(gateway, from) : null;
  },
  inject: [MESSAGING_OPTIONS, TWILIO_GATEWAY],
};
