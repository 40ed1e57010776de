import { ensureLogIndexes, TTL_INDEX_NAME, type IndexSpec, type LogIndexStore } from './log-index-plan.js';

const specs: IndexSpec[] = [
  [{ createdAt: -1, _id: -1 }, {}],
  [{ channel: 1, createdAt: -1, _id: -1 }, {}],
  [{ to: 1, createdAt: -1, _id: -1 }, {}],
];

/** An in-memory collection whose operations can be told to fail. */
class FakeStore implements LogIndexStore {
  readonly indexes = new Map<string, Record<string, unknown>>();
  failKeys = new Set<string>();
  ttlError: (Error & { code?: number }) | undefined;
  collModError: Error | undefined;
  expiryChanges: number[] = [];

  createIndex(keys: Record<string, 1 | -1>, options: Record<string, unknown>): Promise<string> {
    const name = (options.name as string | undefined) ?? Object.entries(keys).flat().join('_');
    if (this.failKeys.has(JSON.stringify(keys))) return Promise.reject(new Error('refused'));
    if (options.expireAfterSeconds !== undefined && this.ttlError) return Promise.reject(this.ttlError);
    this.indexes.set(name, { keys, ...options });
    return Promise.resolve(name);
  }
  listIndexNames(): Promise<string[]> {
    return Promise.resolve([...this.indexes.keys()]);
  }
  dropIndex(name: string): Promise<void> {
    this.indexes.delete(name);
    return Promise.resolve();
  }
  setExpireAfterSeconds(_name: string, seconds: number): Promise<void> {
    if (this.collModError) return Promise.reject(this.collModError);
    this.expiryChanges.push(seconds);
    return Promise.resolve();
  }
}

/** Records what was logged, by level. */
function logger() {
  const lines = { log: [] as string[], warn: [] as string[] };
  return { lines, log: (message: string) => void lines.log.push(message), warn: (message: string) => void lines.warn.push(message) };
}

const withCode = (message: string, code: number) => Object.assign(new Error(message), { code });

describe('ensureLogIndexes', () => {
  it('creates every index and reports them ready', async () => {
    const store = new FakeStore();
    const log = logger();
    await expect(ensureLogIndexes(store, specs, { logger: log })).resolves.toEqual({ created: 3, failed: 0, retention: 'none' });
    expect(store.indexes.size).toBe(3);
    expect(log.lines.log).toEqual([expect.stringMatching(/^Message log indexes ready: 3 of 3/)]);
    expect(log.lines.warn).toEqual([]);
  });

  it('goes on after a refused index and warns instead of throwing', async () => {
    const store = new FakeStore();
    store.failKeys.add(JSON.stringify({ channel: 1, createdAt: -1, _id: -1 }));
    const log = logger();
    await expect(ensureLogIndexes(store, specs, { logger: log })).resolves.toMatchObject({ created: 2, failed: 1 });
    expect(store.indexes.size).toBe(2);
    expect(log.lines.warn).toContainEqual(expect.stringContaining('{"channel":1,"createdAt":-1,"_id":-1}'));
  });

  it('adds a TTL index on createdAt for the retention period', async () => {
    const store = new FakeStore();
    const report = await ensureLogIndexes(store, specs, { retentionDays: 30, logger: logger() });
    expect(report.retention).toBe('ttl');
    expect(store.indexes.get(TTL_INDEX_NAME)).toEqual({ keys: { createdAt: 1 }, name: TTL_INDEX_NAME, expireAfterSeconds: 30 * 86_400 });
  });

  it('turns fractional days into whole seconds', async () => {
    const store = new FakeStore();
    await ensureLogIndexes(store, specs, { retentionDays: 0.5, logger: logger() });
    expect(store.indexes.get(TTL_INDEX_NAME)).toMatchObject({ expireAfterSeconds: 43_200 });
  });

  it('warns and keeps running when the database refuses TTL indexes (FerretDB 1.x)', async () => {
    const store = new FakeStore();
    store.ttlError = withCode('Index option "expireAfterSeconds" is not implemented yet', 238);
    const log = logger();
    const report = await ensureLogIndexes(store, specs, { retentionDays: 7, logger: log });
    expect(report).toEqual({ created: 3, failed: 0, retention: 'unsupported' });
    expect(log.lines.warn).toContainEqual(expect.stringMatching(/retention of 7 days is not applied.*not implemented/));
  });

  it('changes the expiry in place when the retention setting changed', async () => {
    const store = new FakeStore();
    store.ttlError = withCode('An equivalent index already exists with different options', 85);
    const log = logger();
    const report = await ensureLogIndexes(store, specs, { retentionDays: 90, logger: log });
    expect(report.retention).toBe('ttl');
    expect(store.expiryChanges).toEqual([90 * 86_400]);
    expect(log.lines.log).toContainEqual('Log retention changed to 90 days');
  });

  it('warns when the expiry cannot be changed', async () => {
    const store = new FakeStore();
    store.ttlError = withCode('conflict', 85);
    store.collModError = new Error('collMod not allowed');
    const log = logger();
    expect((await ensureLogIndexes(store, specs, { retentionDays: 90, logger: log })).retention).toBe('failed');
    expect(log.lines.warn).toContainEqual(expect.stringContaining('collMod not allowed'));
  });

  it('removes the TTL index of an earlier configuration when retention is off', async () => {
    const store = new FakeStore();
    store.indexes.set(TTL_INDEX_NAME, { keys: { createdAt: 1 }, expireAfterSeconds: 86_400 });
    await ensureLogIndexes(store, specs, { logger: logger() });
    expect(store.indexes.has(TTL_INDEX_NAME)).toBe(false);
  });

  it('never rejects, even when every operation fails', async () => {
    const broken: LogIndexStore = {
      createIndex: () => Promise.reject(new Error('down')),
      listIndexNames: () => Promise.reject(new Error('down')),
      dropIndex: () => Promise.reject(new Error('down')),
      setExpireAfterSeconds: () => Promise.reject(new Error('down')),
    };
    const log = logger();
    await expect(ensureLogIndexes(broken, specs, { logger: log })).resolves.toMatchObject({ created: 0, failed: 3 });
    await expect(ensureLogIndexes(broken, specs, { retentionDays: 1, logger: log })).resolves.toMatchObject({ retention: 'unsupported' });
  });
});
