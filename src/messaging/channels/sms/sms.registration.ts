import type { Provider, Type } from '@nestjs/common';
import type { ChannelRegistration } from '../channel-registration.js';
import { twilioAccountsProvider, twilioGatewayProvider, twilioSmsProvider } from '../../providers/twilio/twilio.providers.js';
import { SmsController } from './sms.controller.js';
import { SmsBatchController } from './sms-batch.controller.js';
import { SmsService } from './sms.service.js';

/** Controllers of the sms channel. */
const controllers: Type<unknown>[] = [SmsController, SmsBatchController];

/** Providers of the sms channel; the SmsProvider token is `null` until Twilio and an SMS sender are configured. */
const providers: Provider[] = [twilioGatewayProvider, twilioAccountsProvider, twilioSmsProvider, SmsService];

/** The sms channel's entry in the channel registry (channels/channel-registrations.ts). */
export const smsRegistration: ChannelRegistration = { controllers, providers, exports: [SmsService] };
