/**
 * The JWS algorithms the module can verify, by where their key comes from.
 * In common/ (import-free) so the options validation and the environment
 * can check `algorithms` without loading the verifier.
 */
/** HMAC algorithms: verified with the shared secret. Every other accepted one is verified with the JWKS. */
export const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
/** Asymmetric algorithms a JWKS can serve keys for (RSA, RSA-PSS, ECDSA). */
export const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;
export const SUPPORTED_ALGORITHMS: readonly string[] = [...HMAC_ALGORITHMS, ...JWKS_ALGORITHMS];

/** Defaults when `auth.algorithms` is unset: HS256 with a secret, RS256 and ES256 with a JWKS. */
export function defaultAlgorithms(hasSecret: boolean, hasJwks: boolean): string[] {
  return [...(hasSecret ? ['HS256'] : []), ...(hasJwks ? ['RS256', 'ES256'] : [])];
}

export function isHmacAlgorithm(alg: string): boolean {
  return (HMAC_ALGORITHMS as readonly string[]).includes(alg);
}
