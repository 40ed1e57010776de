/**
 * One pass over JSON text for what JSON.parse cannot tell: a key given twice
 * in one object (JSON.parse keeps the last one silently, so `"to"` twice
 * would send to whichever came last), the prototype-poisoning keys that
 * Fastify's parser refused, and, for the standalone API, more nesting or
 * more keys and list items than any request has. It stops at the first
 * problem, so refusing a hostile 1 MB body costs a fraction of parsing it.
 *
 * Linear in the text: every character is visited once (the look-back over
 * backslashes before a quote covers each backslash once), and each key is
 * one Set lookup. Escaped keys are decoded, so `"to"` and `"\u0074o"` are
 * the same key. Malformed text is not diagnosed here: JSON.parse says so.
 */

export interface JsonScanLimits {
  /** Objects and lists nested deeper than this are refused (default: no limit). */
  maxDepth?: number;
  /** More keys and list items than this, all objects and lists together, are refused (default: no limit). */
  maxEntries?: number;
}

export type JsonScanProblem =
  | { kind: 'duplicate-key'; path: string }
  | { kind: 'forbidden-key'; key: string }
  | { kind: 'too-deep'; maxDepth: number }
  | { kind: 'too-many-entries'; maxEntries: number };

interface Frame {
  /** The keys seen so far; undefined for a list. */
  keys: Set<string> | undefined;
  /** Object: the next string is a key. */
  expectKey: boolean;
  /** Object: the last key read. List: the index of the current item. */
  at: string | number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_LIST = 0x5b;
const CLOSE_LIST = 0x5d;

export function scanJsonText(text: string, limits: JsonScanLimits = {}): JsonScanProblem | undefined {
  const maxDepth = limits.maxDepth ?? Infinity;
  const maxEntries = limits.maxEntries ?? Infinity;
  const frames: Frame[] = [];
  let entries = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = closingQuote(text, i);
      const top = frames[frames.length - 1];
      if (top?.keys && top.expectKey) {
        const key = readKey(text, i, end);
        if (key === undefined) return undefined; // a malformed escape: JSON.parse will refuse the text
        if (key === '__proto__' || (key === 'prototype' && parentKey(frames) === 'constructor')) {
          return { kind: 'forbidden-key', key };
        }
        top.at = key;
        if (top.keys.has(key)) return { kind: 'duplicate-key', path: pathOf(frames) };
        top.keys.add(key);
        top.expectKey = false;
        if (++entries > maxEntries) return { kind: 'too-many-entries', maxEntries };
      }
      i = end;
    } else if (c === OPEN_OBJECT || c === OPEN_LIST) {
      if (frames.length >= maxDepth) return { kind: 'too-deep', maxDepth };
      const list = c === OPEN_LIST;
      frames.push({ keys: list ? undefined : new Set(), expectKey: !list, at: 0 });
      // A list counts its first item here and each further one at its comma (an empty list counts one).
      if (list && ++entries > maxEntries) return { kind: 'too-many-entries', maxEntries };
    } else if (c === CLOSE_OBJECT || c === CLOSE_LIST) {
      frames.pop();
    } else if (c === COMMA) {
      const top = frames[frames.length - 1];
      if (top?.keys) top.expectKey = true;
      else if (top) {
        top.at = (top.at as number) + 1;
        if (++entries > maxEntries) return { kind: 'too-many-entries', maxEntries };
      }
    }
  }
  return undefined;
}

/** Index of the quote that closes the string opening at `start` (text.length if none). */
function closingQuote(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}

function readKey(text: string, start: number, end: number): string | undefined {
  const raw = text.slice(start + 1, end);
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(text.slice(start, end + 1)) as string;
  } catch {
    return undefined;
  }
}

/** The key under which the innermost object sits, when its parent is an object. */
function parentKey(frames: Frame[]): string | undefined {
  const parent = frames[frames.length - 2];
  return parent?.keys ? (parent.at as string) : undefined;
}

/** `media.url`, `x[1].a`: the path of the current key, as the validation errors name fields. */
function pathOf(frames: Frame[]): string {
  let path = '';
  for (const frame of frames) {
    if (frame.keys) path += path === '' ? String(frame.at) : `.${String(frame.at)}`;
    else path += `[${String(frame.at)}]`;
  }
  return path;
}
