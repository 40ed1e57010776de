import { SendFailedError, type SendFailureDetails } from '../errors/messaging.errors.js';

/**
 * What a provider's final failure (after its own retries) means for the
 * next provider of the channel (see FailoverProvider):
 *
 * - `transient`: the message was not accepted, and the cause lies with this
 *   provider (unreachable, overloaded, throttled, refusing our login): the
 *   next provider may well deliver it.
 * - `permanent`: the provider refused this message (recipient, sender,
 *   content). That is the answer; asking another provider would only send
 *   what one of them already refused.
 * - `ambiguous`: the provider may have accepted the message (a timeout or a
 *   lost connection after it was handed over, some recipients accepted).
 *   That is the answer too: another provider could deliver it twice.
 */
export type ProviderFailureKind = 'transient' | 'permanent' | 'ambiguous';

const KINDS: readonly string[] = ['transient', 'permanent', 'ambiguous'] satisfies ProviderFailureKind[];

/**
 * SEND_FAILED that says how the next provider should treat it. Our SMTP and
 * Twilio providers throw it (or a subclass); a host's own provider can throw
 * it too, to take part in failover.
 */
export class ProviderSendError extends SendFailedError {
  constructor(
    message: string,
    details: SendFailureDetails,
    readonly failover: ProviderFailureKind,
  ) {
    // `transient` (read by the queue's retries) says the same as the failover kind.
    super(message, details, { transient: failover === 'transient' });
  }
}

/**
 * The failover kind an error declares in its `failover` field. An error
 * that declares none (a host provider's plain Error, a bug) counts as
 * `ambiguous`: nothing says the message did not go out, so it is not sent
 * again elsewhere.
 */
export function failoverKindOf(error: unknown): ProviderFailureKind {
  const kind = typeof error === 'object' && error !== null ? (error as { failover?: unknown }).failover : undefined;
  return typeof kind === 'string' && KINDS.includes(kind) ? (kind as ProviderFailureKind) : 'ambiguous';
}
