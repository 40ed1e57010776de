import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { ErrorCode } from '../../errors/error-codes.js';
import { MessagingError, type Channel } from '../../errors/messaging.errors.js';
import { redactSecrets } from '../../common/redact.js';
import type { MessageLogAttempt, MessageLogError } from '../../common/provider-receipt.js';
import type { ProviderBase, ProviderReceipt } from '../provider.interface.js';
import { failoverKindOf } from '../provider-failure.js';
import { errorMessage } from '../../common/describe-error.js';

/** What every channel port looks like: EmailProvider, SmsProvider and WhatsAppProvider are `ChannelProvider<their message>`. */
export interface ChannelProvider<M> extends ProviderBase {
  send(message: M): Promise<ProviderReceipt>;
}

/** The receipt of a failover send: the provider that delivered and every provider tried. */
export interface FailoverReceipt extends ProviderReceipt {
  provider: string;
  attempts: MessageLogAttempt[];
}

/**
 * The final failure of a failover send: the last provider's error (same
 * code, status and message), its details extended with `provider` (the last
 * one tried) and `attempts`, so the client and the log row both see every
 * provider tried. The last provider's own error is the `cause`.
 */
export class FailoverSendError extends MessagingError {
  constructor(
    last: unknown,
    readonly provider: string,
    readonly attempts: MessageLogAttempt[],
  ) {
    const known = last instanceof MessagingError ? last : undefined;
    // Anything else is a bug in a provider: its text is not for clients.
    super(known?.code ?? ErrorCode.INTERNAL_ERROR, known?.message ?? 'Internal server error', {
      ...known?.details,
      provider,
      attempts,
    });
    this.cause = last;
  }
}

/**
 * One channel's ordered providers behind the channel's own port: a send goes
 * to the first; when it fails transiently (after its own retries), to the
 * next; a permanent or ambiguous failure is the answer (see
 * ProviderFailureKind), and so is the last provider's failure. The pending
 * log row is written before `send` is called (MessageDispatcher), so every
 * provider tried is covered by it.
 */
export class FailoverProvider<M> implements ChannelProvider<M>, OnModuleDestroy {
  /** The primary's name: the pending log row names it until the outcome is known. */
  readonly name: string;
  private readonly logger = new Logger('FailoverProvider');

  constructor(
    readonly channel: Channel,
    /** In order of preference; at least two, names unique. */
    readonly providers: readonly ChannelProvider<M>[],
    private readonly now: () => Date = () => new Date(),
  ) {
    const [primary] = providers;
    if (!primary || providers.length < 2) throw new Error(`${channel} failover needs at least two providers`);
    const names = providers.map((p) => p.name);
    const twice = names.find((name, index) => names.indexOf(name) !== index);
    if (twice !== undefined) throw new Error(`${channel} providers must have unique names: "${twice}" is used twice`);
    this.name = primary.name;
  }

  async send(message: M): Promise<FailoverReceipt> {
    const attempts: MessageLogAttempt[] = [];
    for (const [index, provider] of this.providers.entries()) {
      const at = this.now();
      try {
        const receipt = await provider.send(message);
        attempts.push({ provider: provider.name, at, outcome: 'sent' });
        return { messageId: receipt.messageId, provider: provider.name, attempts };
      } catch (error) {
        attempts.push({ provider: provider.name, at, outcome: 'failed', error: attemptError(error) });
        // The exception filter logs unknown errors, but this one reaches it wrapped: log it here.
        if (!(error instanceof MessagingError)) {
          this.logger.error(`${this.channel} send: ${provider.name} failed unexpectedly: ${stackOf(error)}`);
        }
        const next = this.providers[index + 1];
        const kind = failoverKindOf(error);
        if (next === undefined || kind !== 'transient') throw new FailoverSendError(error, provider.name, attempts);
        this.logger.warn(`${this.channel} send: ${provider.name} failed (${errorMessage(error)}); trying ${next.name}`);
      }
    }
    // The constructor guarantees providers; the loop returns or throws.
    throw new Error('unreachable');
  }

  /** Resolves when at least one provider answers: the channel can send. Health checks each one itself. */
  async verify(signal: AbortSignal): Promise<void> {
    await Promise.any(this.providers.map((provider) => provider.verify(signal)));
  }

  /** Nest closes only what sits at the token (this composite), so the providers' own clean-up runs from here. */
  async onModuleDestroy(): Promise<void> {
    for (const provider of this.providers) {
      const destroyable = provider as Partial<OnModuleDestroy>;
      if (typeof destroyable.onModuleDestroy === 'function') await destroyable.onModuleDestroy();
    }
  }
}

/**
 * The channel's port over `providers`: null without any, the provider itself
 * when alone (behaviour and log rows exactly as without failover), a
 * FailoverProvider when there are several.
 */
export function withFailover<M>(channel: Channel, providers: readonly ChannelProvider<M>[]): ChannelProvider<M> | null {
  if (providers.length === 0) return null;
  if (providers.length === 1) return providers[0] ?? null;
  return new FailoverProvider(channel, providers);
}

/** What one failed attempt records: the error's code and message (shown to clients, so never a bug's text). */
export function attemptError(error: unknown): MessageLogError {
  if (!(error instanceof MessagingError)) return { code: ErrorCode.INTERNAL_ERROR, message: 'Internal server error' };
  const providerCode = error.details?.['providerCode'];
  const hasCode = typeof providerCode === 'string' || typeof providerCode === 'number';
  return { code: error.code, message: error.message, ...(hasCode ? { providerCode: String(providerCode) } : {}) };
}

function stackOf(error: unknown): string {
  return redactSecrets(error instanceof Error ? (error.stack ?? error.message) : String(error));
}
