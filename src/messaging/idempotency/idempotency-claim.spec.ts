import { IdempotencyConflictError } from '../errors/messaging.errors.js';
import {
  claimIdempotencyKey,
  IN_PROGRESS_LEASE_MS,
  IN_PROGRESS_WAIT_MS,
  type ClaimClock,
  type ClaimRequest,
  type IdempotencyRecordPort,
} from './idempotency-claim.js';
import { IDEMPOTENCY_TTL_MS, type IdempotencyRecord, type StoredResponse } from './idempotency-record.schema.js';

/** The collection in memory: insert refuses an existing `_id`, as the unique index does. */
class MemoryRecords implements IdempotencyRecordPort {
  readonly records = new Map<string, IdempotencyRecord>();
  inserts = 0;
  /** Runs before each read, e.g. to finish the first request while a duplicate waits. */
  onFind: (round: number) => void = () => undefined;
  private finds = 0;

  async insert(record: IdempotencyRecord): Promise<boolean> {
    this.inserts++;
    await Promise.resolve();
    if (this.records.has(record._id)) return false;
    this.records.set(record._id, { ...record });
    return true;
  }
  async find(id: string): Promise<IdempotencyRecord | null> {
    this.onFind(++this.finds);
    await Promise.resolve();
    return this.records.get(id) ?? null;
  }
  async deleteOwned(id: string, owner: string): Promise<void> {
    await Promise.resolve();
    if (this.records.get(id)?.owner === owner) this.records.delete(id);
  }
}

/** Time moves only when the code sleeps; sleeps are recorded. */
class FakeClock implements ClaimClock {
  readonly sleeps: number[] = [];
  constructor(public time = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
    await Promise.resolve();
  }
}

const OK: StoredResponse = { status: 200, body: '{"messageId":"SM1","status":"sent"}' };
const request = (owner: string, fingerprint = 'f1'): ClaimRequest => ({ id: 'key-id', fingerprint, owner });

async function conflictOf(promise: Promise<unknown>): Promise<IdempotencyConflictError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof IdempotencyConflictError)) throw new Error(`expected a 409, got ${String(error)}`);
  return error;
}

describe('claimIdempotencyKey', () => {
  let records: MemoryRecords;
  let clock: FakeClock;
  beforeEach(() => {
    records = new MemoryRecords();
    clock = new FakeClock();
  });
  const claim = (req: ClaimRequest, signal?: AbortSignal) =>
    claimIdempotencyKey(records, req, { clock, signal, logsPath: '/api/messaging/logs' });
  const complete = (response = OK) => {
    const record = records.records.get('key-id');
    if (record) Object.assign(record, { state: 'completed', response });
  };

  it('inserts an in_progress record expiring 24 h later and gives the key to the request', async () => {
    const result = await claim(request('a'));
    expect(result).toMatchObject({ kind: 'acquired', record: { _id: 'key-id', owner: 'a', state: 'in_progress' } });
    const stored = records.records.get('key-id');
    expect(stored?.createdAt.getTime()).toBe(clock.time);
    expect((stored?.expiresAt.getTime() ?? 0) - (stored?.createdAt.getTime() ?? 0)).toBe(IDEMPOTENCY_TTL_MS);
  });

  it('replays a completed record with the same fingerprint', async () => {
    await claim(request('a'));
    complete();
    expect(await claim(request('b'))).toEqual({ kind: 'replay', response: OK });
  });

  it('refuses another fingerprint with 409 body_mismatch, completed or not', async () => {
    await claim(request('a'));
    const error = await conflictOf(claim(request('b', 'f2')));
    expect(error.details).toEqual({ header: 'Idempotency-Key', reason: 'body_mismatch' });
    complete();
    expect((await conflictOf(claim(request('c', 'f2')))).status).toBe(409);
    expect(clock.sleeps).toEqual([]);
  });

  it('waits for an in_progress record to complete, then replays it', async () => {
    await claim(request('a'));
    records.onFind = (round) => {
      if (round === 4) complete();
    };
    expect(await claim(request('b'))).toEqual({ kind: 'replay', response: OK });
    expect(clock.sleeps).toHaveLength(3);
    expect(clock.sleeps[1]).toBeGreaterThan(clock.sleeps[0] ?? 0);
  });

  it('gives up with 409 in_progress after the wait, pointing at the logs', async () => {
    await claim(request('a'));
    const start = clock.time;
    const error = await conflictOf(claim(request('b')));
    expect(error.details).toEqual({ header: 'Idempotency-Key', reason: 'in_progress' });
    expect(error.message).toContain('has not finished');
    expect(error.message).toContain('GET /api/messaging/logs');
    expect(clock.time - start).toBe(IN_PROGRESS_WAIT_MS);
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(250);
  });

  it('answers 409 at once for an in_progress record older than the lease (its process died mid-send)', async () => {
    await claim(request('a'));
    clock.time += IN_PROGRESS_LEASE_MS;
    expect((await conflictOf(claim(request('b')))).details).toMatchObject({ reason: 'in_progress' });
    expect(clock.sleeps).toEqual([]);
  });

  it('never waits past the lease of the record it waits for', async () => {
    await claim(request('a'));
    clock.time += IN_PROGRESS_LEASE_MS - 1_000;
    const start = clock.time;
    await conflictOf(claim(request('b')));
    expect(clock.time - start).toBe(1_000);
  });

  it('stops waiting when the signal aborts (shutdown)', async () => {
    await claim(request('a'));
    const shutdown = new AbortController();
    records.onFind = (round) => {
      if (round === 3) shutdown.abort();
    };
    await conflictOf(claim(request('b'), shutdown.signal));
    expect(clock.sleeps).toHaveLength(2);
  });

  it('takes the key when the first request released it meanwhile (it failed without sending)', async () => {
    await claim(request('a'));
    records.onFind = (round) => {
      if (round === 2) records.records.delete('key-id');
    };
    expect(await claim(request('b'))).toMatchObject({ kind: 'acquired', record: { owner: 'b' } });
    expect(clock.sleeps).toHaveLength(1);
  });

  it('replaces an expired record, whatever its state or fingerprint', async () => {
    await claim(request('a'));
    complete();
    clock.time += IDEMPOTENCY_TTL_MS;
    expect(await claim(request('b', 'f2'))).toMatchObject({ kind: 'acquired', record: { owner: 'b' } });
    expect(records.records.get('key-id')).toMatchObject({ owner: 'b', state: 'in_progress', fingerprint: 'f2' });
  });

  it('gives the key to exactly one of 50 concurrent duplicates; the others replay its answer', async () => {
    records.onFind = (round) => {
      if (round === 60) complete();
    };
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => claim(request(`r${i}`))));
    expect(results.filter((r) => r.kind === 'acquired')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'replay')).toHaveLength(49);
  });
});
