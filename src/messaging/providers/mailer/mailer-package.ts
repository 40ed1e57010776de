import { createRequire } from 'node:module';
import type { Type } from '@nestjs/common';
import { MessagingOptionsError } from '../../messaging-options.validation.js';

/**
 * @nestjs-modules/mailer is an optional peer dependency: only
 * MailerServiceEmailProvider uses it, so a host without it installs nothing
 * and the package is loaded here, when that provider starts, never at import
 * time. A synchronous require (the package is CommonJS) from our own
 * location resolves the host's copy, the one its MailerModule registered.
 * No type of it is imported: its declarations do not pass a lib check.
 */
const requireOptional = createRequire(import.meta.url);
const PACKAGE = '@nestjs-modules/mailer';

/** The MailerService class the host's MailerModule provides (the token to look its instance up by). */
export function mailerServiceClass(): Type<unknown> {
  let loaded: { MailerService?: Type<unknown> };
  try {
    loaded = requireOptional(PACKAGE) as { MailerService?: Type<unknown> };
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    // Only the package itself missing; a broken install of it must still fail with its own error.
    if (code === 'MODULE_NOT_FOUND' && typeof message === 'string' && message.includes(`'${PACKAGE}'`)) {
      throw new MessagingOptionsError([
        `providers.email MailerServiceEmailProvider needs the optional peer dependency ${PACKAGE}: npm install ${PACKAGE}`,
      ]);
    }
    throw error;
  }
  if (typeof loaded.MailerService !== 'function') throw new Error(`${PACKAGE} exports no MailerService`);
  return loaded.MailerService;
}
