/**
 * The bearer token lives in sessionStorage only: gone when the tab closes, never in localStorage or a
 * cookie, never sent anywhere but the API's Authorization header.
 */
const TOKEN_KEY = 'fluxkit-console-token';

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token.trim());
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * `npm start` prints `…/console#token=<jwt>`. The fragment never reaches a server (nor its logs); the
 * token is moved into sessionStorage and the fragment replaced at once, so it leaves no trace in the
 * address bar or the history either.
 */
export function takeTokenFromFragment(): void {
  const match = /^#token=([^&]+)/.exec(location.hash);
  if (!match?.[1]) return;
  storeToken(decodeURIComponent(match[1]));
  history.replaceState(null, '', `${location.pathname}${location.search}#/activity`);
}
