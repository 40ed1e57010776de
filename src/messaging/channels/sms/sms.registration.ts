import type { Provider, Type } from '@nestjs/common';
import { twilioAccountsProvider, twilioGatewayProvider, twilioSmsProvider } from '../../providers/twilio/twilio.providers.js';
import { SmsController } from './sms.controller.js';
import { SmsService } from './sms.service.js';

/** Controllers of the sms channel (wired into MessagingModule). */
export const smsControllers: Type<unknown>[] = [SmsController];

/** Providers of the sms channel; the SmsProvider token is `null` until Twilio and an SMS sender are configured. */
export const smsProviders: Provider[] = [twilioGatewayProvider, twilioAccountsProvider, twilioSmsProvider, SmsService];
