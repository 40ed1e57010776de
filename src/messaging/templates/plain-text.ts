import { compile } from 'html-to-text';

/**
 * Bounds of the text/plain alternative generated from HTML. htmlparser2
 * (under html-to-text) keeps its open-element stack with Array#unshift, so
 * parsing costs grow with tags × depth: 100,000 nested `<div>` took 2 to 4 s
 * of CPU, during which every other request waited. html-to-text then walks
 * the tree recursively and overflowed the stack from about 2,500 levels.
 *
 * MAX_CONVERTED_TAGS caps the cost (the worst case, every tag nested, is
 * tens of ms) and is checked when a request comes in, so a send that would
 * need more gets a 400 naming `body` rather than a stalled process: the
 * client can send its own `text`. MAX_TEXT_DEPTH is html-to-text's own
 * `limits.maxDepth`: content nested deeper is left out of the text part
 * (the HTML part is sent unchanged). Templates render HTML from checked
 * files with escaped data, so they stay far below both.
 */
export const MAX_CONVERTED_TAGS = 10_000;
export const MAX_TEXT_DEPTH = 256;

/** Start tags in `html` (`<` followed by a letter), counted in linear time without parsing. */
export function htmlTagCount(html: string): number {
  return html.match(/<[A-Za-z]/g)?.length ?? 0;
}

/**
 * The converter, built on first use and kept: html-to-text's `convert()`
 * merges the options and compiles the selectors into a decision tree on
 * every call, which cost more than the conversion itself under the email
 * load (docs/benchmarks.md). Built lazily so the cost is not paid at startup
 * by processes that never convert.
 */
let converter: ((html: string) => string) | undefined;

/**
 * The text/plain alternative of an HTML mail: links keep their URL (unless
 * the text already is the URL), images and hidden preview text are dropped,
 * lines wrap at 78 characters as RFC 5322 recommends.
 */
export function htmlToPlainText(html: string): string {
  converter ??= compile({
    wordwrap: 78,
    limits: { maxDepth: MAX_TEXT_DEPTH },
    selectors: [
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'style', format: 'skip' },
      { selector: 'title', format: 'skip' },
      { selector: '[data-preheader]', format: 'skip' },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'table', format: 'block' },
      { selector: 'tr', format: 'block' },
      { selector: 'td', format: 'block' },
    ],
  });
  return converter(html).trim();
}
