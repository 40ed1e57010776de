import type { Provider, Type } from '@nestjs/common';
import { EmailProvider } from '../../providers/email.provider.js';

/** Controllers of the email channel (wired into MessagingModule). */
export const emailControllers: Type<unknown>[] = [];

/** Providers of the email channel; the provider token is `null` until the channel is configured. */
export const emailProviders: Provider[] = [{ provide: EmailProvider, useFactory: () => null }];
