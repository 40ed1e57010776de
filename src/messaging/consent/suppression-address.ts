import type { ChannelName } from '../common/channel-names.js';
import { E164_PATTERN } from '../common/e164.js';

const WHATSAPP_PREFIX = 'whatsapp:';

/**
 * The form an address is stored and compared in, or undefined when it is not one of `channel`'s.
 *
 * Email: trimmed and lower-cased as a whole. RFC 5321 lets the local part be case-sensitive, but no
 * mailbox provider in use treats `Ann@` and `ann@` as two people, and an opt-out that a capital letter
 * can bypass is worse than two addresses that one opt-out covers. Numbers: E.164 exactly as the send
 * routes accept them (the same pattern), a `whatsapp:` prefix removed (the channel says WhatsApp).
 */
export function normaliseAddress(channel: ChannelName, raw: string): string | undefined {
  const value = raw.trim();
  if (channel === 'email') {
    const address = value.toLowerCase();
    return /^[^\s@<>]+@[^\s@<>]+$/.test(address) ? address : undefined;
  }
  const number = channel === 'whatsapp' && value.toLowerCase().startsWith(WHATSAPP_PREFIX) ? value.slice(WHATSAPP_PREFIX.length) : value;
  return E164_PATTERN.test(number) ? number : undefined;
}
