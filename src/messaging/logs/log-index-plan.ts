import type { Logger } from '@nestjs/common';
import { describeError } from '../common/describe-error.js';

/** A key pattern and its options, as `Schema.indexes()` lists them. */
export type IndexSpec = [Record<string, 1 | -1>, Record<string, unknown>];

/** The few collection operations index management needs (a port, so it can be tested without a database). */
export interface LogIndexStore {
  createIndex(keys: Record<string, 1 | -1>, options: Record<string, unknown>): Promise<string>;
  listIndexNames(): Promise<string[]>;
  dropIndex(name: string): Promise<void>;
  /** `collMod`: changes a TTL index's expiry in place. */
  setExpireAfterSeconds(name: string, seconds: number): Promise<void>;
}

export interface LogIndexOptions {
  /** Unset: keep rows forever (and remove a TTL index left by an earlier configuration). */
  retentionDays?: number;
  logger: Pick<Logger, 'log' | 'warn'>;
}

/** What happened, for the startup log line and for tests. */
export interface LogIndexReport {
  created: number;
  failed: number;
  retention: 'none' | 'ttl' | 'unsupported' | 'failed';
}

/** The retention index; its fixed name lets a later boot change or remove it. */
export const TTL_INDEX_NAME = 'createdAt_ttl';
const SECONDS_PER_DAY = 86_400;
/** MongoDB: an index with these keys exists with other options (here: another expiry). */
const INDEX_OPTIONS_CONFLICT = 85;

/**
 * Creates every index one at a time, so that one refusal does not stop the
 * others, then applies the retention setting. Resolves with a report and
 * never rejects: every failure is logged as a warning.
 */
export async function ensureLogIndexes(
  store: LogIndexStore,
  specs: IndexSpec[],
  options: LogIndexOptions,
): Promise<LogIndexReport> {
  const started = Date.now();
  let created = 0;
  for (const [keys, indexOptions] of specs) {
    try {
      await store.createIndex(keys, indexOptions);
      created++;
    } catch (error) {
      options.logger.warn(`Could not create message log index ${JSON.stringify(keys)}: ${describeError(error)}`);
    }
  }
  const retention = await applyRetention(store, options);
  const failed = specs.length - created;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const summary = `Message log indexes ready: ${created} of ${specs.length} in ${seconds}s, retention: ${retention}`;
  if (failed > 0) options.logger.warn(`${summary} (${failed} failed, listing is slower without them)`);
  else options.logger.log(summary);
  return { created, failed, retention };
}

async function applyRetention(store: LogIndexStore, options: LogIndexOptions): Promise<LogIndexReport['retention']> {
  const { retentionDays, logger } = options;
  if (retentionDays === undefined) {
    await dropStaleTtlIndex(store, logger);
    return 'none';
  }
  // TTL indexes take whole seconds; fractional days are allowed (0.5 = 12 hours).
  const seconds = Math.max(1, Math.round(retentionDays * SECONDS_PER_DAY));
  try {
    await store.createIndex({ createdAt: 1 }, { name: TTL_INDEX_NAME, expireAfterSeconds: seconds });
    return 'ttl';
  } catch (error) {
    if (codeOf(error) === INDEX_OPTIONS_CONFLICT) return changeExpiry(store, seconds, retentionDays, logger);
    logger.warn(
      `Log retention of ${retentionDays} days is not applied: the database refused the TTL index ` +
        `(${describeError(error)}). Message logs are kept until deleted by other means.`,
    );
    return 'unsupported';
  }
}

/** The TTL index exists with another expiry (the retention setting changed): update it in place. */
async function changeExpiry(
  store: LogIndexStore,
  seconds: number,
  retentionDays: number,
  logger: LogIndexOptions['logger'],
): Promise<LogIndexReport['retention']> {
  try {
    await store.setExpireAfterSeconds(TTL_INDEX_NAME, seconds);
    logger.log(`Log retention changed to ${retentionDays} days`);
    return 'ttl';
  } catch (error) {
    logger.warn(`Could not change log retention to ${retentionDays} days: ${describeError(error)}`);
    return 'failed';
  }
}

/** Retention was turned off: a TTL index from an earlier configuration would keep deleting rows. */
async function dropStaleTtlIndex(store: LogIndexStore, logger: LogIndexOptions['logger']): Promise<void> {
  try {
    if (!(await store.listIndexNames()).includes(TTL_INDEX_NAME)) return;
    await store.dropIndex(TTL_INDEX_NAME);
    logger.log('Log retention is off: removed the TTL index of an earlier configuration');
  } catch (error) {
    logger.warn(`Could not check or remove the log retention TTL index: ${describeError(error)}`);
  }
}

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}
