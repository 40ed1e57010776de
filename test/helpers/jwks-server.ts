import { createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The asymmetric algorithms the local identity provider signs with. */
export type IdpAlgorithm = 'RS256' | 'ES256';

interface SigningKey {
  kid: string;
  alg: IdpAlgorithm;
  privateKey: KeyObject;
  jwk: Record<string, unknown>;
}

export interface IdpTokenOptions {
  alg?: IdpAlgorithm;
  /** Sign with this key id (default: the newest key of `alg`); `kid` in the header may be overridden below. */
  kid?: string;
  /** Claims beside the defaults (`sub`, `iat`, `exp`, and `iss`/`aud` when the server has them). */
  claims?: Record<string, unknown>;
  /** Leave out the default issuer/audience, or replace them. */
  issuer?: string | null;
  audience?: string | null;
  /** Sign with a key the server does not publish (an attacker's, or a key rotated out). */
  unpublished?: boolean;
}

/**
 * A local identity provider for tests: RS256 and ES256 key pairs made with
 * node:crypto, published as a JWKS at `GET /jwks.json`, and tokens signed
 * with them (compact JWS by hand: node:crypto's `sign` with the JOSE
 * encodings, so nothing here depends on the verifier under test).
 *
 *   const idp = await JwksServer.start({ issuer: 'https://idp.test', audience: 'messaging' });
 *   app = await env.startApp({ JWT_JWKS_URL: idp.jwksUrl, JWT_ISSUER: idp.issuer, JWT_AUDIENCE: idp.audience });
 *   idp.token({ alg: 'ES256', claims: { scope: 'messaging:send' } });
 *   idp.rotate('RS256');   // publish a new RS256 key (the old one is dropped), signed with from now on
 */
export class JwksServer {
  private keys: SigningKey[] = [];
  private fetches = 0;
  /** When set, `/jwks.json` answers this status instead of the keys. */
  private failing?: number;

  private constructor(
    private readonly server: Server,
    readonly issuer: string,
    readonly audience: string,
  ) {}

  static async start(options: { issuer?: string; audience?: string } = {}): Promise<JwksServer> {
    const server = createServer();
    const idp = new JwksServer(server, options.issuer ?? 'https://idp.fluxkit.test/', options.audience ?? 'messaging');
    server.on('request', (request, response) => {
      if (request.url !== '/jwks.json') return void response.writeHead(404).end();
      idp.fetches++;
      if (idp.failing !== undefined) return void response.writeHead(idp.failing).end();
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(idp.jwks()));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    idp.rotate('RS256');
    idp.rotate('ES256');
    return idp;
  }

  get jwksUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/jwks.json`;
  }

  /** How many times the JWKS was fetched. */
  get fetchCount(): number {
    return this.fetches;
  }

  /** `/jwks.json` answers `status` (e.g. 503) until `recover()`. */
  fail(status: number): void {
    this.failing = status;
  }

  recover(): void {
    this.failing = undefined;
  }

  /** The published key set. */
  jwks(): { keys: Record<string, unknown>[] } {
    return { keys: this.keys.map((key) => key.jwk) };
  }

  /** A new key of `alg` replaces the published one of that algorithm; returns its kid. */
  rotate(alg: IdpAlgorithm): string {
    const key = newKey(alg);
    this.keys = [...this.keys.filter((existing) => existing.alg !== alg), key];
    return key.kid;
  }

  /** A signed compact JWT, valid for an hour unless the claims say otherwise. */
  token(options: IdpTokenOptions = {}): string {
    const alg = options.alg ?? 'RS256';
    const key = options.unpublished ? newKey(alg) : this.keys.find((k) => k.alg === alg);
    if (!key) throw new Error(`no ${alg} key`);
    const now = Math.floor(Date.now() / 1000);
    const issuer = options.issuer === undefined ? this.issuer : options.issuer;
    const audience = options.audience === undefined ? this.audience : options.audience;
    const payload = {
      sub: 'idp-client',
      iat: now,
      exp: now + 3600,
      ...(issuer === null ? {} : { iss: issuer }),
      ...(audience === null ? {} : { aud: audience }),
      ...options.claims,
    };
    return signJws({ alg, typ: 'JWT', kid: options.kid ?? key.kid }, payload, key);
  }

  /** `Authorization` header for `token(options)`. */
  bearer(options: IdpTokenOptions = {}): { authorization: string } {
    return { authorization: `Bearer ${this.token(options)}` };
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function newKey(alg: IdpAlgorithm): SigningKey {
  const kid = `${alg.toLowerCase()}-${randomBytes(6).toString('hex')}`;
  const pair =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...pair.publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
  return { kid, alg, privateKey: createPrivateKey(pair.privateKey.export({ format: 'pem', type: 'pkcs8' })), jwk };
}

function signJws(header: Record<string, unknown>, payload: Record<string, unknown>, key: SigningKey): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(payload)}`;
  // JWS wants ECDSA signatures as r||s (ieee-p1363), not DER.
  const signature = sign('sha256', Buffer.from(input), {
    key: key.privateKey,
    ...(key.alg === 'ES256' ? { dsaEncoding: 'ieee-p1363' as const } : {}),
  });
  return `${input}.${signature.toString('base64url')}`;
}
