import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { JWT_STRATEGY_NAME } from '../messaging.constants.js';
import { MESSAGING_OPTIONS } from '../messaging.module-definition.js';
import type { MessagingModuleOptions } from '../messaging-options.interface.js';
import type { AuthenticatedClient } from './authenticated-client.js';

interface TokenPayload {
  sub?: unknown;
  exp?: unknown;
  iat?: unknown;
}

/** What jsonwebtoken hands over with `complete: true`: the checked header and claims. */
interface VerifiedToken {
  header: { alg?: unknown; crit?: unknown };
  payload: TokenPayload;
}

/**
 * A `sub` must be printable: it is stored as `requestedBy` on log rows and
 * is the throttling key. Refused: blank ones, control characters (C0, DEL,
 * C1), U+2028/U+2029, bidi embeddings/overrides/isolates and lone
 * surrogates, any of which can forge or garble a log line.
 */
const UNPRINTABLE_SUBJECT = /[\p{Cc}\p{Cs}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** Tokens issued "in the future" beyond this skew are refused. */
const CLOCK_SKEW_SECONDS = 60;

/**
 * Bearer JWT, HS256 only (so `none` and RS/HS confusion are refused by the
 * verifier itself), issuer/audience checked when configured. Beyond the
 * signature: `sub` must be a printable, non-blank string and `exp` must be
 * present, because a token that never expires cannot be revoked. A `crit`
 * header is refused whatever it names: RFC 7515 4.1.11 says a token whose
 * critical extensions are not all understood must be refused, and this
 * verifier understands none (jsonwebtoken ignores `crit`).
 */
@Injectable()
export class MessagingJwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY_NAME) {
  constructor(@Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: hmacKey(options.auth?.jwtSecret),
      algorithms: ['HS256'],
      issuer: options.auth?.issuer,
      audience: options.auth?.audience,
      ignoreExpiration: false,
      // The header too, for `crit`.
      jsonWebTokenOptions: { complete: true },
    });
  }

  validate({ header, payload }: VerifiedToken): AuthenticatedClient | false {
    const now = Math.floor(Date.now() / 1000);
    if (header.crit !== undefined) return false;
    if (typeof payload.sub !== 'string' || payload.sub.trim() === '' || UNPRINTABLE_SUBJECT.test(payload.sub)) return false;
    if (typeof payload.exp !== 'number') return false;
    if (typeof payload.iat === 'number' && payload.iat > now + CLOCK_SKEW_SECONDS) return false;
    return { subject: payload.sub };
  }
}

/**
 * The HS256 secret as a KeyObject. Given a string (or Buffer), jsonwebtoken
 * first tries to parse it as a PEM public key on every verify, a thrown and
 * caught error costing about 0.3 ms of CPU per request (see
 * docs/benchmarks.md); a KeyObject goes straight to the HMAC. passport-jwt
 * hands the value to jsonwebtoken untouched; only its typings predate
 * KeyObject, hence the cast. A missing secret stays '' so passport-jwt
 * still refuses to build the strategy (MessagingModule never builds it without one).
 */
function hmacKey(secret: string | undefined): Buffer | string {
  return secret ? (createSecretKey(Buffer.from(secret, 'utf8')) as unknown as Buffer) : '';
}
