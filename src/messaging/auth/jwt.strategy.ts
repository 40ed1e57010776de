import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { JWT_STRATEGY_NAME } from '../messaging.constants.js';
import { MESSAGING_OPTIONS } from '../messaging.module-definition.js';
import type { MessagingModuleOptions } from '../messaging-options.interface.js';
import type { AuthenticatedClient } from './authenticated-client.js';
import { clientFromClaims, type TokenPayload } from './token-claims.js';
import { defaultAlgorithms, tokenHeader, UnknownKeyError, VerificationKeys } from './verification-keys.js';

/** What jsonwebtoken hands over with `complete: true`: the checked header and claims. */
interface VerifiedToken {
  header: { alg?: unknown; crit?: unknown };
  payload: TokenPayload;
}

/**
 * Bearer JWT: HS256 with the shared secret, and/or RS256/ES256 (or what
 * `auth.algorithms` lists) against the identity provider's JWKS; the
 * header's `alg` picks the key (verification-keys.ts). The verifier only
 * accepts the configured algorithms, so `none` and RS/HS confusion are
 * refused by it; issuer and audience are checked when configured. Beyond
 * the signature, token-claims.ts checks `sub`, `exp`, scopes and the tenant
 * claim. A `crit` header is refused whatever it names: RFC 7515 4.1.11 says
 * a token whose critical extensions are not all understood must be refused,
 * and this verifier understands none (jsonwebtoken ignores `crit`).
 */
@Injectable()
export class MessagingJwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY_NAME) {
  private readonly tenantClaim: string | undefined;

  constructor(@Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions) {
    const auth = options.auth ?? {};
    const algorithms = auth.algorithms ?? defaultAlgorithms(auth.jwtSecret !== undefined, auth.jwksUri !== undefined);
    const keys = new VerificationKeys({ jwtSecret: auth.jwtSecret, jwksUri: auth.jwksUri, algorithms });
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: (_request: unknown, token: string, done: (error: unknown, key?: string | Buffer) => void) => {
        const header = tokenHeader(token);
        if (!header) return done(new UnknownKeyError('malformed header'));
        // passport-jwt passes the key to jsonwebtoken untouched; its typings predate KeyObject.
        keys.keyFor(header).then((key) => done(null, key as unknown as Buffer), (error: unknown) => done(error));
      },
      algorithms: algorithms as never,
      issuer: auth.issuer,
      audience: auth.audience,
      ignoreExpiration: false,
      // The header too, for `crit`.
      jsonWebTokenOptions: { complete: true },
    });
    this.tenantClaim = auth.tenantClaim;
  }

  validate({ header, payload }: VerifiedToken): AuthenticatedClient | false {
    if (header.crit !== undefined) return false;
    return clientFromClaims(payload, this.tenantClaim);
  }
}
