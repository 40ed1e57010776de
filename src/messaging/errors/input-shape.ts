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

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `input` cannot be a request of this API, or undefined when its shape is fine. Iterative: never recurses. */
export function inputShapeProblem(input: unknown, maxDepth = MAX_INPUT_DEPTH): string | undefined {
  const pending: Array<{ value: unknown; depth: number }> = [{ value: input, depth: 0 }];
  while (pending.length > 0) {
    const { value, depth } = pending.pop() as { value: unknown; depth: number };
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) return 'Request contains text that is not valid Unicode (a lone surrogate)';
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxDepth) return `Request is nested more than ${maxDepth} levels deep`;
    for (const [key, child] of Object.entries(value)) {
      if (LONE_SURROGATE.test(key)) return 'Request contains a key that is not valid Unicode (a lone surrogate)';
      if (FORBIDDEN_KEYS.has(key)) return `Request contains the forbidden key "${key}"`;
      pending.push({ value: child, depth: depth + 1 });
    }
  }
  return undefined;
}
