/**
 * Structural checks on a parsed request (body, query or params) before it is
 * transformed into a DTO. class-transformer and class-validator recurse, so a
 * deeply nested body (`[[[[…]]]]` 100,000 levels deep fits easily under the
 * body limit) would overflow the stack and surface as a 500. A string that is
 * not well-formed UTF-16 (a lone surrogate, which JSON's `\ud800` escape can
 * produce) cannot be encoded for SMTP or Twilio and is refused here too, and
 * so are the keys `__proto__`, `constructor` and `prototype` at any depth:
 * class-transformer silently drops them, so a request would be accepted
 * with less than it said (and they have no business in a message).
 */

/** Deeper than any request the API accepts (the deepest is body → data → value). */
export const MAX_INPUT_DEPTH = 16;

/**
 * Object keys and list items of a request together, at every depth. No
 * request of the API comes near (recipient lists hold at most 50 addresses,
 * a template would need this many variables). The cap is there because
 * class-transformer deduplicates an object's keys with `indexOf`, which is
 * quadratic: 120,000 unknown keys (1 MB) took 8.6 s of CPU to refuse while
 * every other request waited. List items are linear, but each costs
 * class-transformer and class-validator some 25 times what its bytes cost
 * JSON.parse. Counting stops at the first object or list beyond the cap.
 */
export const MAX_INPUT_ENTRIES = 1_000;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `input` cannot be a request of this API, or undefined when its shape is fine. Iterative: never recurses. */
export function inputShapeProblem(input: unknown, maxDepth = MAX_INPUT_DEPTH, maxEntries = MAX_INPUT_ENTRIES): string | undefined {
  const pending: Array<{ value: unknown; depth: number }> = [{ value: input, depth: 0 }];
  let entries = 0;
  while (pending.length > 0) {
    const { value, depth } = pending.pop() as { value: unknown; depth: number };
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) return 'Request contains text that is not valid Unicode (a lone surrogate)';
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxDepth) return `Request is nested more than ${maxDepth} levels deep`;
    entries += Array.isArray(value) ? value.length : Object.keys(value).length;
    if (entries > maxEntries) return `Request has more than ${maxEntries} keys and list items (all objects and lists together)`;
    for (const [key, child] of Object.entries(value)) {
      if (LONE_SURROGATE.test(key)) return 'Request contains a key that is not valid Unicode (a lone surrogate)';
      if (FORBIDDEN_KEYS.has(key)) return `Request contains the forbidden key "${key}"`;
      pending.push({ value: child, depth: depth + 1 });
    }
  }
  return undefined;
}
