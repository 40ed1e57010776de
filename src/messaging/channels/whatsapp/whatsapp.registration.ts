import type { Provider, Type } from '@nestjs/common';
import { twilioAccountsProvider, twilioGatewayProvider, twilioWhatsAppProvider } from '../../providers/twilio/twilio.providers.js';
import { WhatsAppController } from './whatsapp.controller.js';
import { WhatsAppService } from './whatsapp.service.js';

/** Controllers of the whatsapp channel (wired into MessagingModule). */
export const whatsappControllers: Type<unknown>[] = [WhatsAppController];

/** Providers of the whatsapp channel; the WhatsAppProvider token is `null` until Twilio and a WhatsApp sender are configured. */
export const whatsappProviders: Provider[] = [twilioGatewayProvider, twilioAccountsProvider, twilioWhatsAppProvider, WhatsAppService];
