import { IdempotencyConflictError } from '../errors/messaging.errors.js';
import { IDEMPOTENCY_TTL_MS, type IdempotencyRecord, type StoredResponse } from './idempotency-record.schema.js';

/**
 * How long a duplicate waits for the first request with its key to finish:
 * about the providers' own send deadline (a Twilio call is cut at 10 s and a
 * transient failure retried twice; SMTP waits 10 s per reply), so a
 * duplicate sent while the original is still talking to the provider gets
 * the original's answer instead of a conflict.
 */
export const IN_PROGRESS_WAIT_MS = 30_000;
/**
 * An `in_progress` record older than this belongs to a request whose process
 * died mid-send (no send runs this long): its outcome is unknown, so a
 * duplicate is refused at once (409) instead of waiting, and never re-sent.
 */
export const IN_PROGRESS_LEASE_MS = 120_000;
/** First pause between two reads of an in-progress record, growing to POLL_MAX_MS. */
const POLL_FIRST_MS = 20;
const POLL_MAX_MS = 250;
/** Hard bound on the loop, whatever the clock does (a fake one in tests, a jump on the host). */
const MAX_ROUNDS = 2_000;

/** The record operations a claim needs (MongoDB in IdempotencyStore, in memory in unit tests). */
export interface IdempotencyRecordPort {
  /** Inserts; false when a record with this `_id` exists (the unique index refused it). */
  insert(record: IdempotencyRecord): Promise<boolean>;
  find(id: string): Promise<IdempotencyRecord | null>;
  /** Deletes the record only if it is still this owner's (so a replaced one survives). */
  deleteOwned(id: string, owner: string): Promise<void>;
}

export interface ClaimRequest {
  id: string;
  fingerprint: string;
  /** Unique to this request (a random token): tells its own record from a successor's. */
  owner: string;
}

export interface ClaimClock {
  now(): number;
  /** Resolves after `ms`, or early once `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface ClaimOptions {
  clock: ClaimClock;
  /** Aborted at shutdown: waiting duplicates stop waiting (409) so the process can drain. */
  signal?: AbortSignal;
  waitMs?: number;
  leaseMs?: number;
  ttlMs?: number;
  /** Where to look for the outcome of an unfinished request, for the 409's message. */
  logsPath?: string;
}

/** The key is this request's to run (`record` was inserted), or an earlier answer to replay. */
export type Claim = { kind: 'acquired'; record: IdempotencyRecord } | { kind: 'replay'; response: StoredResponse };

/**
 * Takes the key for this request or finds what to answer instead:
 * - insert an `in_progress` record; the `_id` unique index lets exactly one
 *   of any number of concurrent duplicates succeed;
 * - otherwise read the record: another body → 409; `completed` → replay;
 *   expired → delete it (only that one: by its owner) and insert again;
 *   gone (released after a failure that sent nothing) → insert again;
 *   `in_progress` → wait for it, up to `waitMs` and never past the lease,
 *   then 409: a request whose outcome is unknown is never re-sent.
 */
export async function claimIdempotencyKey(
  port: IdempotencyRecordPort,
  request: ClaimRequest,
  options: ClaimOptions,
): Promise<Claim> {
  const { clock, signal } = options;
  const waitUntil = clock.now() + (options.waitMs ?? IN_PROGRESS_WAIT_MS);
  const leaseMs = options.leaseMs ?? IN_PROGRESS_LEASE_MS;
  let tryInsert = true;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    if (tryInsert) {
      const record = newRecord(request, clock.now(), options.ttlMs ?? IDEMPOTENCY_TTL_MS);
      if (await port.insert(record)) return { kind: 'acquired', record };
    }
    const existing = await port.find(request.id);
    const now = clock.now();
    tryInsert = true;
    if (existing === null) continue;
    if (existing.expiresAt.getTime() <= now) {
      await port.deleteOwned(request.id, existing.owner);
      continue;
    }
    if (existing.fingerprint !== request.fingerprint) throw bodyMismatch();
    if (existing.state === 'completed' && existing.response) return { kind: 'replay', response: existing.response };
    const deadline = Math.min(waitUntil, existing.createdAt.getTime() + leaseMs);
    if (now >= deadline || signal?.aborted) throw unfinished(options.logsPath);
    await clock.sleep(Math.min(deadline - now, pollDelay(round)), signal);
    tryInsert = false;
  }
  throw unfinished(options.logsPath);
}

function newRecord(request: ClaimRequest, now: number, ttlMs: number): IdempotencyRecord {
  return {
    _id: request.id,
    owner: request.owner,
    fingerprint: request.fingerprint,
    state: 'in_progress',
    createdAt: new Date(now),
    expiresAt: new Date(now + ttlMs),
  };
}

/** 20, 30, 45, … ms up to 250: quick for a fast provider, light on the database for a slow one. */
function pollDelay(round: number): number {
  return Math.min(POLL_MAX_MS, Math.round(POLL_FIRST_MS * 1.5 ** Math.min(round - 1, 20)));
}

function bodyMismatch(): IdempotencyConflictError {
  return new IdempotencyConflictError(
    'This Idempotency-Key was already used for a different request (another body or route); use a new key for a new request',
    'body_mismatch',
  );
}

function unfinished(logsPath = '/messaging/logs'): IdempotencyConflictError {
  return new IdempotencyConflictError(
    'An earlier request with this Idempotency-Key has not finished (or stopped before its outcome was recorded), ' +
      `so nothing was sent to avoid a duplicate; check GET ${logsPath} before retrying with a new key`,
    'in_progress',
  );
}
