// What the options validation, the environment and the webhook sender all say about a
// receiver's URL and the signing secret; imports nothing, so each of them can use it.

/** Standard Webhooks' prefix of a signing secret. */
const SECRET_PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export const WEBHOOK_SECRET_RULE = 'must be "whsec_" followed by the base64 of 24 to 64 random bytes';
export const WEBHOOK_URL_RULE = 'must be an absolute http(s) URL';

/**
 * `whsec_` and the canonical base64 of 24 to 64 bytes (Standard Webhooks:
 * fewer bytes make the HMAC key guessable; more are cut by some libraries).
 */
export function isWebhookSecret(value: string): boolean {
  if (!value.startsWith(SECRET_PREFIX)) return false;
  const encoded = value.slice(SECRET_PREFIX.length);
  if (encoded.length % 4 !== 0 || !BASE64.test(encoded)) return false;
  const bytes = Buffer.from(encoded, 'base64');
  return bytes.length >= 24 && bytes.length <= 64 && bytes.toString('base64') === encoded;
}

export function isWebhookUrl(value: string): boolean {
  try {
    const { protocol, hostname } = new URL(value);
    return (protocol === 'http:' || protocol === 'https:') && hostname !== '';
  } catch {
    return false;
  }
}

/**
 * The receiver's URL as logs and health show it: scheme, host, port and path,
 * without user and password, and without the query, which may carry a token.
 */
export function describeWebhookUrl(value: string): string {
  const url = new URL(value);
  return `${url.protocol}//${url.host}${url.pathname}`;
}
