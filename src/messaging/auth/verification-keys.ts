import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import type { JwksClient, SigningKey } from 'jwks-rsa';
import { withDeadline } from '../common/deadline.js';
import { isHmacAlgorithm } from '../common/jwt-algorithms.js';

export { defaultAlgorithms } from '../common/jwt-algorithms.js';

/** The JWKS could not be fetched (unreachable, too slow, not a key set): the token is not at fault. */
export class KeysUnavailableError extends Error {
  override readonly name = 'KeysUnavailableError';
}

/** The token names no key we have (unknown `kid`, unconfigured algorithm, `alg: none`): a 401. */
export class UnknownKeyError extends Error {
  override readonly name = 'UnknownKeyError';
}

export interface VerificationKeyOptions {
  jwtSecret?: string;
  jwksUri?: string;
  algorithms: readonly string[];
  /** Longest wait for the JWKS, connection to last byte (jwks-rsa's own timeout only bounds socket idleness). */
  jwksTimeoutMs?: number;
}

/** A request must not wait longer than this for the identity provider's keys. */
export const DEFAULT_JWKS_TIMEOUT_MS = 5_000;

/**
 * Picks the key a token is verified with, by its header's `alg`: an HMAC
 * algorithm uses the shared secret, an asymmetric one the JWKS key named by
 * `kid`. So both can be configured at once without RS/HS confusion: a key is
 * only ever used with its own kind of algorithm (and jsonwebtoken refuses a
 * KeyObject of the wrong type too). An algorithm outside `algorithms` never
 * reaches the JWKS.
 *
 * The JWKS goes through jwks-rsa: keys cached per `kid` (10 minutes), a
 * `kid` not in the cache refetches the set (so a rotated-in key is picked up
 * without restart), at most 10 refetches a minute (so tokens with made-up
 * `kid`s cannot hammer the provider).
 */
export class VerificationKeys {
  private readonly secret?: KeyObject;
  private readonly jwksUri?: string;
  /** Made on first use: jwks-rsa is loaded only by deployments that set a JWKS. */
  private jwks?: Promise<JwksClient>;
  private readonly algorithms: ReadonlySet<string>;
  private readonly timeoutMs: number;
  /** jwks-rsa hands out the same SigningKey while cached: parse its PEM once. */
  private readonly parsed = new WeakMap<SigningKey, KeyObject>();

  constructor(options: VerificationKeyOptions) {
    // A KeyObject, not the string: given a string, jsonwebtoken first tries it as a PEM public key on
    // every verify, a thrown and caught error costing about 0.3 ms of CPU per request (docs/benchmarks.md).
    if (options.jwtSecret) this.secret = createSecretKey(Buffer.from(options.jwtSecret, 'utf8'));
    this.jwksUri = options.jwksUri;
    this.algorithms = new Set(options.algorithms);
    this.timeoutMs = options.jwksTimeoutMs ?? DEFAULT_JWKS_TIMEOUT_MS;
  }

  private client(jwksUri: string): Promise<JwksClient> {
    this.jwks ??= import('jwks-rsa').then(
      ({ JwksClient }) =>
        new JwksClient({
          jwksUri,
          cache: true,
          cacheMaxAge: 600_000,
          rateLimit: true,
          jwksRequestsPerMinute: 10,
          timeout: this.timeoutMs,
        }),
    );
    return this.jwks;
  }

  /** The key for a token with this header; rejects with UnknownKeyError or KeysUnavailableError. */
  async keyFor(header: { alg?: unknown; kid?: unknown }): Promise<KeyObject> {
    const { alg, kid } = header;
    if (typeof alg !== 'string' || !this.algorithms.has(alg)) throw new UnknownKeyError('algorithm not accepted');
    if (isHmacAlgorithm(alg)) {
      if (!this.secret) throw new UnknownKeyError('no secret');
      return this.secret;
    }
    if (!this.jwksUri) throw new UnknownKeyError('no JWKS');
    if (kid !== undefined && typeof kid !== 'string') throw new UnknownKeyError('kid is not a string');
    const key = await this.signingKey(await this.client(this.jwksUri), kid);
    let parsed = this.parsed.get(key);
    if (!parsed) {
      parsed = createPublicKey(key.getPublicKey());
      this.parsed.set(key, parsed);
    }
    return parsed;
  }

  private async signingKey(jwks: JwksClient, kid: string | undefined): Promise<SigningKey> {
    try {
      return await withDeadline(jwks.getSigningKey(kid), this.timeoutMs, () => new KeysUnavailableError('JWKS fetch timed out'));
    } catch (error) {
      if (error instanceof KeysUnavailableError) throw error;
      const name = error instanceof Error ? error.name : '';
      // jwks-rsa: no such kid, or over the refetch budget while looking for one.
      if (name === 'SigningKeyNotFoundError' || name === 'JwksRateLimitError') throw new UnknownKeyError(name);
      throw new KeysUnavailableError(error instanceof Error ? error.message : String(error));
    }
  }
}

/**
 * The JOSE header of a compact JWT, without verifying anything (the key
 * depends on it). `undefined` for anything that is not a JSON object.
 */
export function tokenHeader(token: string): { alg?: unknown; kid?: unknown } | undefined {
  const encoded = token.split('.', 1)[0] ?? '';
  if (encoded === '' || encoded.length > 4096) return undefined;
  try {
    const header: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null && !Array.isArray(header) ? header : undefined;
  } catch {
    return undefined;
  }
}
