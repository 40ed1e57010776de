// PUBLIC_BASE_URL / `publicBaseUrl`: the origin (and optional path) at which providers reach
// this service. In common/ because the environment, the options validation, the Twilio
// providers (StatusCallback) and the webhook signature check all read it the same way.

/** Why `value` is not a usable public base URL, or undefined when it is. */
export function publicBaseUrlProblem(value: unknown): string | undefined {
  const rule = 'must be an absolute http(s) URL with an optional path and no query or fragment';
  if (typeof value !== 'string' || value.trim() === '') return rule;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return rule;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return rule;
  // `new URL` drops an empty "?" or "#"; the raw text must not carry them either.
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(value)) return rule;
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password';
  return undefined;
}

/**
 * The URL as every signature check and StatusCallback uses it: as `new URL`
 * serialises it (lower-case scheme and host, default port dropped), without
 * trailing slashes. Call only on a value publicBaseUrlProblem accepted.
 */
export function normalisePublicBaseUrl(value: string): string {
  return new URL(value.trim()).href.replace(/\/+$/, '');
}

/** `base` + `path` (a route path such as `/messaging/webhooks/twilio/status`), one slash between. */
export function publicUrlOf(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
