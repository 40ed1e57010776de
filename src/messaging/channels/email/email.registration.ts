import type { Provider, Type } from '@nestjs/common';
import type { ChannelRegistration } from '../channel-registration.js';
import { MESSAGING_OPTIONS } from '../../messaging.module-definition.js';
import type { MessagingModuleOptions } from '../../messaging-options.interface.js';
import { EmailProvider } from '../../providers/email.provider.js';
import { smtpRelays } from '../../providers/smtp/smtp-relays.js';
import { defaultTemplatesDir } from '../../templates/package-root.js';
import { TemplateRenderer } from '../../templates/template-renderer.js';
import { EmailController } from './email.controller.js';
import { EmailBatchController } from './email-batch.controller.js';
import { EmailService } from './email.service.js';

/** Controllers of the email channel. */
const controllers: Type<unknown>[] = [EmailController, EmailBatchController];

/**
 * Providers of the email channel. The EmailProvider token holds the SMTP
 * provider when `smtp` is configured (a FailoverProvider over it and the
 * `smtpFailover` relays when there are some) and `null` otherwise (sends
 * answer PROVIDER_NOT_CONFIGURED). Templates load and compile once, at boot, from
 * `templatesDir` or the package's own `templates/`; a broken template stops
 * the app there.
 */
const providers: Provider[] = [
  {
    provide: EmailProvider,
    useFactory: (options: MessagingModuleOptions): EmailProvider | null => smtpRelays(options),
    inject: [MESSAGING_OPTIONS],
  },
  {
    provide: TemplateRenderer,
    useFactory: (options: MessagingModuleOptions): Promise<TemplateRenderer> =>
      TemplateRenderer.load(options.templatesDir ?? defaultTemplatesDir()),
    inject: [MESSAGING_OPTIONS],
  },
  EmailService,
];

/** The email channel's entry in the channel registry (channels/channel-registrations.ts). */
export const emailRegistration: ChannelRegistration = { controllers, providers, exports: [EmailService] };
