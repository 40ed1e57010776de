import Handlebars from 'handlebars';

/**
 * The two tiny pages of the unsubscribe link. No script, nothing loaded from elsewhere (the CSP below
 * forbids it), every value escaped; the form posts back to the same URL with RFC 8058's body.
 */
export const UNSUBSCRIBE_PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'cache-control': 'no-store',
  // The token is in the URL: no other site learns it from a Referer.
  'referrer-policy': 'no-referrer',
} as const;

const STYLE = 'body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}button{font-size:1rem;padding:.5rem 1rem}';

/** The content sits in a <main> landmark, so screen-reader users can jump to it (axe: region, landmark-one-main). */
function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

/** GET: asks; only the button (a POST) unsubscribes, since link scanners follow GET links. */
export function confirmationPage(address: string): string {
  const who = Handlebars.Utils.escapeExpression(address);
  return page(
    'Unsubscribe',
    `<h1>Unsubscribe</h1><p>Stop marketing email to <strong>${who}</strong>?</p>` +
      '<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>',
  );
}

/** POST: done. */
export function unsubscribedPage(address: string): string {
  const who = Handlebars.Utils.escapeExpression(address);
  return page('Unsubscribed', `<h1>Unsubscribed</h1><p><strong>${who}</strong> will get no more marketing email from us.</p>`);
}
