import type { Provider, Type } from '@nestjs/common';
import { WhatsAppProvider } from '../../providers/whatsapp.provider.js';

/** Controllers of the whatsapp channel (wired into MessagingModule). */
export const whatsappControllers: Type<unknown>[] = [];

/** Providers of the whatsapp channel; the provider token is `null` until the channel is configured. */
export const whatsappProviders: Provider[] = [{ provide: WhatsAppProvider, useFactory: () => null }];
