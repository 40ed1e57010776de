import { MAX_RECIPIENTS_PER_MESSAGE } from '../../common/limits.js';
import type { MessagingModuleOptions } from '../../messaging-options.interface.js';
import type { EmailProvider } from '../email.provider.js';
import { failoverName } from '../failover/failover-names.js';
import { withFailover } from '../failover/failover.provider.js';
import { DEFAULT_SMTP_RETRY, SmtpEmailProvider } from './smtp-email.provider.js';
import { SMTP_PROVIDER_NAME } from './smtp-failure.js';

/**
 * The email port over `smtp` and then each `smtpFailover` relay, named
 * `smtp`, `smtp-2`, `smtp-3`...: `null` without `smtp`, the one provider
 * alone without failover relays, else a FailoverProvider over all of them.
 * Each relay has its own pool and its own retries.
 */
export function smtpRelays(options: MessagingModuleOptions): EmailProvider | null {
  if (!options.smtp) return null;
  const relays = [options.smtp, ...(options.smtpFailover ?? [])];
  return withFailover(
    'email',
    relays.map(
      (relay, index) =>
        new SmtpEmailProvider(relay, MAX_RECIPIENTS_PER_MESSAGE, DEFAULT_SMTP_RETRY, failoverName(SMTP_PROVIDER_NAME, index)),
    ),
  );
}
