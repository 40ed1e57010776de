import jwt, { type Algorithm } from 'jsonwebtoken';
import { TEST_JWT_SECRET } from './app-process.js';

export interface TokenOptions {
  sub?: string;
  secret?: string;
  algorithm?: Algorithm;
  /** Seconds until expiry; negative for an already expired token. */
  expiresInSeconds?: number;
  issuer?: string;
  audience?: string;
  /**
   * The `scope` claim. Default `messaging:admin`: the suite's token sees every tenant's rows, as every
   * token did before tenants, so specs about other features read what they wrote whatever the subject;
   * `null` leaves the claim out (a token from before scopes, held to its own tenant).
   */
  scope?: string | null;
}

/** Signs a token the way a client of the API would. */
export function signToken(options: TokenOptions = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = { sub: options.sub ?? 'test-client', iat: now };
  payload.exp = now + (options.expiresInSeconds ?? 3600);
  const scope = options.scope === undefined ? 'messaging:admin' : options.scope;
  if (scope !== null) payload.scope = scope;
  return jwt.sign(payload, options.secret ?? TEST_JWT_SECRET, {
    algorithm: options.algorithm ?? 'HS256',
    ...(options.issuer ? { issuer: options.issuer } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
  });
}

/** `Authorization` header for a valid token. */
export function bearer(options: TokenOptions = {}): { authorization: string } {
  return { authorization: `Bearer ${signToken(options)}` };
}

/** A token with `alg: none` and no signature: must never be accepted. */
export function unsignedToken(sub = 'attacker'): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub, iat: now, exp: now + 3600 })}.`;
}
