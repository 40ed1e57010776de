import { createHash } from 'node:crypto';

/**
 * What identifies "the same request" for an Idempotency-Key: the method, the
 * route and the body. Two bodies that differ only in key order or JSON
 * whitespace are the same request (a client's serializer may reorder keys
 * between a call and its retry); any other difference is another request,
 * and reusing the key for it is a conflict. Headers are not part of it
 * (tokens rotate between a call and its retry; the subject already scopes
 * the key), so a retry that drops `Prefer: respond-async` replays the 202.
 */
export function requestFingerprint(method: string, routePath: string, body: unknown): string {
  return createHash('sha256')
    .update(method.toUpperCase())
    .update('\n')
    .update(routePath)
    .update('\n')
    .update(canonicalJson(body))
    .digest('hex');
}

/** Text emitted as is (punctuation, an encoded key), as opposed to a value still to encode. */
class Raw {
  constructor(readonly text: string) {}
}

/**
 * JSON with object keys sorted (by UTF-16 code units, as Array#sort does),
 * no whitespace, arrays in order. It runs before the validation pipe, on the
 * body as parsed, so it must take anything a client can send: it is
 * iterative (a 100,000-level `[[[…]]]` fits under the body limit and would
 * overflow a recursive walk), and follows JSON.stringify for the rest
 * (undefined members dropped, undefined/non-finite numbers as null). An
 * absent body (undefined) encodes as the empty string, unlike `null`.
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return '';
  const out: string[] = [];
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (item instanceof Raw) out.push(item.text);
    else if (Array.isArray(item)) pushArray(item, out, pending);
    else if (typeof item === 'object' && item !== null) pushObject(item as Record<string, unknown>, out, pending);
    else out.push(primitive(item));
  }
  return out.join('');
}

/** Opens the array and schedules its items (pushed in reverse: `pending` is a stack). */
function pushArray(array: readonly unknown[], out: string[], pending: unknown[]): void {
  out.push('[');
  pending.push(new Raw(']'));
  for (let i = array.length - 1; i >= 0; i--) {
    pending.push(array[i]);
    if (i > 0) pending.push(new Raw(','));
  }
}

function pushObject(object: Record<string, unknown>, out: string[], pending: unknown[]): void {
  const keys = Object.keys(object)
    .filter((key) => object[key] !== undefined)
    .sort();
  out.push('{');
  pending.push(new Raw('}'));
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i];
    pending.push(object[key]);
    pending.push(new Raw(`${JSON.stringify(key)}:`));
    if (i > 0) pending.push(new Raw(','));
  }
}

function primitive(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  // null, undefined (an array hole), functions and symbols: JSON has only null for them.
  return 'null';
}
