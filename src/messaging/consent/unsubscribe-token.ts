import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a one-click unsubscribe link names: whose list, which address, scope `marketing`. */
export interface UnsubscribeClaim {
  tenant: string;
  address: string;
}

/** Longest token accepted in a path: a 320-character address and a long tenant fit easily. */
export const MAX_UNSUBSCRIBE_TOKEN_LENGTH = 1024;
const TOKEN = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;
const SCOPE = 'marketing';

/**
 * `base64url(payload).base64url(HMAC-SHA256(secret, "unsubscribe:" + payload))`. No expiry: an unsubscribe
 * link in a year-old mail must still work (RFC 8058 asks receivers to honour it). The payload is
 * readable (tenant and the recipient's own address), not secret; the MAC is what makes it unforgeable.
 */
export function signUnsubscribeToken(secret: string, claim: UnsubscribeClaim): string {
  const payload = Buffer.from(JSON.stringify({ t: claim.tenant, a: claim.address, s: SCOPE })).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

/** The claim of a token we signed, or undefined for anything else (forged, truncated, garbled). */
export function verifyUnsubscribeToken(secret: string, token: string): UnsubscribeClaim | undefined {
  if (token.length > MAX_UNSUBSCRIBE_TOKEN_LENGTH) return undefined;
  const match = TOKEN.exec(token);
  if (!match) return undefined;
  const [, payload = '', signature = ''] = match;
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(secret, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const { t, a, s } = parsed;
    return typeof t === 'string' && typeof a === 'string' && s === SCOPE ? { tenant: t, address: a } : undefined;
  } catch {
    return undefined;
  }
}

function mac(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(`unsubscribe:${payload}`).digest();
}
