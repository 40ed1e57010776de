import { isTenantId } from '../common/tenant.js';
import type { AuthenticatedClient } from './authenticated-client.js';

export interface TokenPayload {
  sub?: unknown;
  exp?: unknown;
  iat?: unknown;
  scope?: unknown;
  scp?: unknown;
  [claim: string]: unknown;
}

/** The default claim naming the caller's tenant (`JWT_TENANT_CLAIM`); absent, the tenant is `sub`. */
export const DEFAULT_TENANT_CLAIM = 'tenant';

/**
 * A `sub` must be printable: it is stored as `requestedBy` on log rows and
 * is the throttling key. Refused: blank ones, control characters (C0, DEL,
 * C1), U+2028/U+2029, bidi embeddings/overrides/isolates and lone
 * surrogates, any of which can forge or garble a log line.
 */
const UNPRINTABLE_SUBJECT = /[\p{Cc}\p{Cs}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
/** One scope: printable ASCII without spaces (RFC 6749 3.3 scope-token). */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]{1,200}$/;
/** More scopes than any real token carries; a longer list is not a token we issued. */
const MAX_SCOPES = 100;
/** Tokens issued "in the future" beyond this skew are refused. */
const CLOCK_SKEW_SECONDS = 60;

/**
 * The caller a verified payload describes, or `false` to refuse the token
 * (a 401). Beyond the signature: `sub` must be a printable, non-blank
 * string and `exp` must be present (a token that never expires cannot be
 * revoked); `scope`/`scp` must be well formed when present; the tenant
 * claim, when present, must be a tenant id (common/tenant.ts), since it
 * partitions the logs and keys rate limits.
 */
export function clientFromClaims(payload: TokenPayload, tenantClaim = DEFAULT_TENANT_CLAIM): AuthenticatedClient | false {
  const now = Math.floor(Date.now() / 1000);
  const { sub } = payload;
  if (typeof sub !== 'string' || sub.trim() === '' || UNPRINTABLE_SUBJECT.test(sub)) return false;
  if (typeof payload.exp !== 'number') return false;
  if (typeof payload.iat === 'number' && payload.iat > now + CLOCK_SKEW_SECONDS) return false;
  const scopes = scopesOf(payload);
  if (scopes === false) return false;
  const claimed = Object.hasOwn(payload, tenantClaim) ? payload[tenantClaim] : undefined;
  if (claimed !== undefined && !isTenantId(claimed)) return false;
  const tenant = claimed ?? sub;
  return { subject: sub, tenant, ...(scopes === undefined ? {} : { scopes }) };
}

/**
 * `scope` (space-separated, RFC 8693 / OAuth 2) and `scp` (a list, as Okta
 * and Entra's v1 tokens carry it, or a space-separated string): their union.
 * `undefined` when the token has neither claim; `false` when one is malformed.
 */
export function scopesOf(payload: Pick<TokenPayload, 'scope' | 'scp'>): string[] | undefined | false {
  if (payload.scope === undefined && payload.scp === undefined) return undefined;
  const found = new Set<string>();
  for (const claim of [payload.scope, payload.scp]) {
    if (claim === undefined) continue;
    const tokens = typeof claim === 'string' ? claim.split(' ').filter((token) => token !== '') : claim;
    if (!Array.isArray(tokens)) return false;
    for (const token of tokens as unknown[]) {
      if (typeof token !== 'string' || !SCOPE_TOKEN.test(token)) return false;
      found.add(token);
    }
  }
  return found.size > MAX_SCOPES ? false : [...found];
}
