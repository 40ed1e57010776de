import type { Provider, Type } from '@nestjs/common';
import { SmsProvider } from '../../providers/sms.provider.js';

/** Controllers of the sms channel (wired into MessagingModule). */
export const smsControllers: Type<unknown>[] = [];

/** Providers of the sms channel; the provider token is `null` until the channel is configured. */
export const smsProviders: Provider[] = [{ provide: SmsProvider, useFactory: () => null }];
