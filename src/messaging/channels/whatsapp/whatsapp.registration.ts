import type { Provider, Type } from '@nestjs/common';
import type { ChannelRegistration } from '../channel-registration.js';
import { twilioAccountsProvider, twilioGatewayProvider, twilioWhatsAppProvider } from '../../providers/twilio/twilio.providers.js';
import { WhatsAppController } from './whatsapp.controller.js';
import { WhatsAppBatchController } from './whatsapp-batch.controller.js';
import { WhatsAppService } from './whatsapp.service.js';

/** Controllers of the whatsapp channel. */
const controllers: Type<unknown>[] = [WhatsAppController, WhatsAppBatchController];

/** Providers of the whatsapp channel; the WhatsAppProvider token is `null` until Twilio and a WhatsApp sender are configured. */
const providers: Provider[] = [twilioGatewayProvider, twilioAccountsProvider, twilioWhatsAppProvider, WhatsAppService];

/** The whatsapp channel's entry in the channel registry (channels/channel-registrations.ts). */
export const whatsappRegistration: ChannelRegistration = { controllers, providers, exports: [WhatsAppService] };
