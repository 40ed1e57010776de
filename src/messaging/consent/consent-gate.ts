import { Injectable, Logger } from '@nestjs/common';
import type { ChannelName } from '../common/channel-names.js';
import { TWILIO_UNSUBSCRIBED_RECIPIENT, type MessageCategory } from '../common/consent-fields.js';
import { describeError } from '../common/describe-error.js';
import { MessagingError } from '../errors/messaging.errors.js';
import type { OutgoingEmail } from '../providers/email.provider.js';
import type { ChannelMessages } from '../providers/channel-ports.js';
import { normaliseAddress } from './suppression-address.js';
import { SuppressionStore } from './suppression.store.js';

/** Whose list applies to a message, and what kind of message it is. */
export interface ConsentContext {
  tenant: string;
  category: MessageCategory;
}

/** A message with its suppressed recipients removed. */
export interface Screened<M> {
  message: M;
  /** The removed recipients, as the request wrote them; empty when none was. */
  suppressed: string[];
  /** True when no recipient is left: nothing may be sent. */
  blocked: boolean;
}

/**
 * The check before every send (synchronous, queued, scheduled, and again when a worker picks a queued
 * message up): one lookup of the message's recipients. SMS and WhatsApp have one recipient, so they are
 * sent or blocked; an email loses its suppressed to/cc/bcc recipients and is blocked when none remains.
 */
@Injectable()
export class ConsentGate {
  private readonly logger = new Logger('Consent');

  constructor(private readonly store: SuppressionStore) {}

  async screen<C extends ChannelName>(channel: C, message: ChannelMessages[C], context: ConsentContext): Promise<Screened<ChannelMessages[C]>> {
    const recipients = recipientsOf(channel, message);
    const normalised = normalisedRecipients(channel, recipients);
    const hits = await this.store.suppressedAmong(context.tenant, channel, [...new Set(normalised.values())], context.category);
    return applyHits(channel, message, recipients, normalised, hits);
  }

  /**
   * screen() for the messages of one batch (one channel, one tenant): one lookup per category
   * among them rather than one per message. Answers in the order of `messages`.
   */
  async screenMany<C extends ChannelName>(
    channel: C,
    tenant: string,
    messages: ReadonlyArray<{ message: ChannelMessages[C]; category: MessageCategory }>,
  ): Promise<Screened<ChannelMessages[C]>[]> {
    const prepared = messages.map(({ message, category }) => {
      const recipients = recipientsOf(channel, message);
      return { message, category, recipients, normalised: normalisedRecipients(channel, recipients) };
    });
    const hitsByCategory = new Map<MessageCategory, Set<string>>();
    for (const category of new Set(prepared.map((p) => p.category))) {
      const addresses = new Set(prepared.filter((p) => p.category === category).flatMap((p) => [...p.normalised.values()]));
      hitsByCategory.set(category, await this.store.suppressedAmong(tenant, channel, [...addresses], category));
    }
    return prepared.map((p) => applyHits(channel, p.message, p.recipients, p.normalised, hitsByCategory.get(p.category) ?? new Set()));
  }

  /**
   * Twilio refused the number because its owner replied STOP (error 21610): the number goes on the
   * list with scope `all`, so the next send is refused here rather than by Twilio. Never throws: the
   * send's own failure is what the caller reports.
   */
  async noteRejection(channel: ChannelName, to: string, tenant: string, error: unknown): Promise<void> {
    if (channel === 'email' || providerCodeOf(error) !== String(TWILIO_UNSUBSCRIBED_RECIPIENT)) return;
    const address = normaliseAddress(channel, to);
    if (!address) return;
    try {
      await this.store.add({ tenant, channel, address, scope: 'all', reason: 'provider_rejected', source: 'provider' });
    } catch (failure) {
      this.logger.error(`Could not record Twilio's unsubscribed-recipient rejection: ${describeError(failure)}`);
    }
  }
}

function normalisedRecipients(channel: ChannelName, recipients: string[]): Map<string, string> {
  return new Map(recipients.map((address) => [address, normaliseAddress(channel, address) ?? address]));
}

/** The message without the recipients among `hits` (normalised addresses), and whether any is left. */
function applyHits<C extends ChannelName>(
  channel: C,
  message: ChannelMessages[C],
  recipients: string[],
  normalised: Map<string, string>,
  hits: Set<string>,
): Screened<ChannelMessages[C]> {
  if (hits.size === 0) return { message, suppressed: [], blocked: false };
  const isSuppressed = (address: string) => hits.has(normalised.get(address) ?? address);
  const suppressed = recipients.filter(isSuppressed);
  if (suppressed.length === 0) return { message, suppressed, blocked: false };
  if (channel !== 'email') return { message, suppressed, blocked: true };
  const email = withoutRecipients(message as OutgoingEmail, isSuppressed);
  const left = email.to.length + (email.cc?.length ?? 0) + (email.bcc?.length ?? 0);
  return { message: email as ChannelMessages[C], suppressed, blocked: left === 0 };
}

function recipientsOf<C extends ChannelName>(channel: C, message: ChannelMessages[C]): string[] {
  if (channel !== 'email') return [(message as ChannelMessages['sms' | 'whatsapp']).to];
  const email = message as OutgoingEmail;
  return [...email.to, ...(email.cc ?? []), ...(email.bcc ?? [])];
}

function withoutRecipients(email: OutgoingEmail, isSuppressed: (address: string) => boolean): OutgoingEmail {
  const keep = (list: string[] | undefined) => {
    const kept = list?.filter((address) => !isSuppressed(address));
    return kept && kept.length > 0 ? kept : undefined;
  };
  const { cc, bcc, ...rest } = email;
  const keptCc = keep(cc);
  const keptBcc = keep(bcc);
  return { ...rest, to: keep(email.to) ?? [], ...(keptCc ? { cc: keptCc } : {}), ...(keptBcc ? { bcc: keptBcc } : {}) };
}

/** The provider's error code a send failed with (SEND_FAILED's `details.providerCode`, failover included). */
function providerCodeOf(error: unknown): string | undefined {
  const code = error instanceof MessagingError ? error.details?.['providerCode'] : undefined;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
}
