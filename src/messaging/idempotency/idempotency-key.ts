import { createHash } from 'node:crypto';
import { ErrorCode } from '../errors/error-codes.js';
import { MessagingError } from '../errors/messaging.errors.js';

/** The request header a client sets to make a send safe to retry. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** Set (to `true`) on an answer replayed from an earlier request with the same key. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/** The longest key accepted: long enough for a UUID, a hash or a composed business key. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/**
 * Visible ASCII only (0x21–0x7E): no spaces, no control characters, nothing
 * a proxy could re-encode. A key compared byte for byte must reach us byte
 * for byte, and a space is also what Node puts between the values of a
 * repeated header, so a joined duplicate cannot pass for one key.
 */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7E]+$/;
/** The same rule as an OpenAPI `pattern` (JSON Schema regexes have no `\x` escapes in every tool). */
export const IDEMPOTENCY_KEY_OPENAPI_PATTERN = '^[!-~]+$';

/** A bad `Idempotency-Key`: VALIDATION_ERROR naming the header, so the client sees which input to fix. */
export class InvalidIdempotencyKeyError extends MessagingError {
  constructor(problem: string) {
    super(ErrorCode.VALIDATION_ERROR, `Invalid ${IDEMPOTENCY_KEY_HEADER} header: ${problem}`, {
      header: IDEMPOTENCY_KEY_HEADER,
      errors: [problem],
    });
  }
}

/** What the header reader needs from a request: Node's parsed headers and the raw name/value list. */
export interface HeaderSource {
  headers: Record<string, string | string[] | undefined>;
  /** `[name, value, name, value, …]` as received (IncomingMessage.rawHeaders). */
  rawHeaders?: readonly string[];
}

/**
 * The request's Idempotency-Key, undefined when the header is absent (the
 * request is then handled exactly as without this feature). Throws
 * InvalidIdempotencyKeyError for an empty, too long, non-visible-ASCII or
 * repeated header: two keys on one request cannot both be honoured, and
 * guessing which one the client meant could send twice.
 */
export function readIdempotencyKey(request: HeaderSource): string | undefined {
  const name = IDEMPOTENCY_KEY_HEADER.toLowerCase();
  if (occurrences(request.rawHeaders, name) > 1) {
    throw new InvalidIdempotencyKeyError('the header is repeated; send it once');
  }
  const value = request.headers[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new InvalidIdempotencyKeyError('the header is repeated; send it once');
  return validIdempotencyKey(value);
}

/** `value` when it is a valid key, else throws InvalidIdempotencyKeyError saying why. */
export function validIdempotencyKey(value: string): string {
  if (value.length === 0) throw new InvalidIdempotencyKeyError('it is empty');
  if (value.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new InvalidIdempotencyKeyError(`it is longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  }
  if (!IDEMPOTENCY_KEY_PATTERN.test(value)) {
    throw new InvalidIdempotencyKeyError('use visible ASCII characters only (0x21-0x7E: no spaces or control characters)');
  }
  return value;
}

/**
 * The record id of a key: sha256 hex of (tenant, NUL, subject, NUL, key), or
 * of (subject, NUL, key) when the tenant is the subject itself (a token
 * without a tenant claim: the ids of keys stored before tenants existed).
 * Scoped by tenant and subject, so no two tenants, nor two clients of one
 * tenant, ever see each other's answers; hashed, so the id has a fixed size
 * and no client text reaches the database's `_id`. Neither a key nor a
 * subject or tenant can contain NUL, so the parts are unambiguous, and the
 * two forms (one NUL, two) cannot meet.
 */
export function idempotencyRecordId(subject: string, key: string, tenant: string = subject): string {
  const hash = createHash('sha256');
  if (tenant !== subject) hash.update(tenant).update('\0');
  return hash.update(subject).update('\0').update(key).digest('hex');
}

function occurrences(rawHeaders: readonly string[] | undefined, lowerName: string): number {
  if (!rawHeaders) return 0;
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() === lowerName) count++;
  }
  return count;
}
