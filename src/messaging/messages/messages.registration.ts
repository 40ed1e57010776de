import type { Provider, Type } from '@nestjs/common';
import { MessageCancellation } from './message-cancellation.js';
import { MessagesController } from './messages.controller.js';

/** Controllers of the messages resource (wired into MessagingModule). */
export const messagesControllers: Type<unknown>[] = [MessagesController];

/** Providers of the messages resource. */
export const messagesProviders: Provider[] = [MessageCancellation];
