import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Model } from 'mongoose';
import { ServiceUnavailableError } from '../errors/messaging.errors.js';
import { MESSAGING_EXTRAS } from '../messaging.module-definition.js';
import type { MessagingModuleExtras } from '../messaging-options.interface.js';
import { ROUTE_PREFIX } from '../messaging.constants.js';
import { claimIdempotencyKey, type Claim, type ClaimClock, type IdempotencyRecordPort } from './idempotency-claim.js';
import { IDEMPOTENCY_MODEL, type IdempotencyRecord, type StoredResponse } from './idempotency-record.schema.js';
import { describeError } from '../common/describe-error.js';

/**
 * Attempts of one operation when the server answers with an error (FerretDB
 * on SQLite answers "database is locked" under concurrent writes, which 50
 * simultaneous duplicates provoke); an unreachable server is not retried, so
 * an outage answers 503 at once and nothing is sent.
 */
const SERVER_ERROR_ATTEMPTS = 6;
const SERVER_ERROR_BACKOFF_MS = 25;
/** Recording an outcome after the handler ran: a few slower attempts, then a loud log line. */
const FINISH_ATTEMPTS = 3;
const FINISH_BACKOFF_MS = 200;
const DUPLICATE_KEY = 11000;

const SERVICE_DOWN = 'The idempotency store is unavailable; nothing was sent';

const clock: ClaimClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined),
};

/**
 * The `idempotency_keys` collection: claims a key for a request, then records
 * its outcome (complete) or forgets it (release). Every filter is on `_id`
 * (plus the owner token), the one FerretDB serves from an index.
 */
@Injectable()
export class IdempotencyStore implements IdempotencyRecordPort, BeforeApplicationShutdown {
  private readonly logger = new Logger('Idempotency');
  private readonly shutdown = new AbortController();
  private readonly logsPath: string;

  constructor(
    @Inject(IDEMPOTENCY_MODEL) private readonly model: Model<IdempotencyRecord>,
    @Inject(MESSAGING_EXTRAS) extras: MessagingModuleExtras,
  ) {
    this.logsPath = logsPathOf(extras.routePrefix ?? ROUTE_PREFIX);
    // Every waiting duplicate listens on this signal while it sleeps: dozens at once are normal, not a leak.
    setMaxListeners(0, this.shutdown.signal);
  }

  /** Takes the key, or says what to answer instead (replay), or throws 409 / 503. */
  claim(id: string, fingerprint: string): Promise<Claim> {
    return claimIdempotencyKey(
      this,
      { id, fingerprint, owner: randomUUID() },
      { clock, signal: this.shutdown.signal, logsPath: this.logsPath },
    );
  }

  /**
   * Stores the answer for replay. Never throws: the client already has its
   * answer; if the write is lost the record stays `in_progress`, and a retry
   * with the key gets 409 (check the logs) rather than a second send.
   */
  async complete(record: IdempotencyRecord, response: StoredResponse): Promise<void> {
    await this.finish(record, 'record the outcome of', () =>
      this.model
        .updateOne({ _id: record._id, owner: record.owner, state: 'in_progress' }, { $set: { state: 'completed', response } })
        .exec(),
    );
  }

  /** Forgets the key after a failure that sent nothing, so a corrected retry with it can send. */
  async release(record: IdempotencyRecord): Promise<void> {
    await this.finish(record, 'release', () => this.model.deleteOne({ _id: record._id, owner: record.owner }).exec());
  }

  /** Waiting duplicates stop waiting (409) so in-flight requests can drain. */
  beforeApplicationShutdown(): void {
    this.shutdown.abort();
  }

  async insert(record: IdempotencyRecord): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.model.create(record);
        return true;
      } catch (error) {
        // A retry meeting its own record: the earlier attempt did reach the collection.
        if (codeOf(error) === DUPLICATE_KEY) return attempt > 1 && (await this.find(record._id))?.owner === record.owner;
        if (attempt === SERVER_ERROR_ATTEMPTS || !isServerAnswer(error)) {
          // The write may have landed without its answer reaching us: try not to leave it behind.
          if (mayHaveLanded(error)) {
            await this.model.deleteOne({ _id: record._id, owner: record.owner }).exec().catch(() => undefined);
          }
          throw this.unavailable('claim a key', error);
        }
        await delay(SERVER_ERROR_BACKOFF_MS * attempt);
      }
    }
  }

  find(id: string): Promise<IdempotencyRecord | null> {
    return this.withRetries('read a key', () => this.model.findById(id).lean<IdempotencyRecord>().exec());
  }

  async deleteOwned(id: string, owner: string): Promise<void> {
    await this.withRetries('replace an expired key', () => this.model.deleteOne({ _id: id, owner }).exec());
  }

  private async withRetries<T>(what: string, operation: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await operation();
      } catch (error) {
        if (attempt === SERVER_ERROR_ATTEMPTS || !isServerAnswer(error)) throw this.unavailable(what, error);
        await delay(SERVER_ERROR_BACKOFF_MS * attempt);
      }
    }
  }

  private async finish(record: IdempotencyRecord, what: string, operation: () => Promise<unknown>): Promise<void> {
    for (let attempt = 1; attempt <= FINISH_ATTEMPTS; attempt++) {
      try {
        await operation();
        return;
      } catch (error) {
        if (attempt === FINISH_ATTEMPTS) {
          this.logger.error(
            `Could not ${what} idempotency key ${record._id}; it stays in progress until it expires: ${describeError(error)}`,
          );
          return;
        }
        await delay(FINISH_BACKOFF_MS * attempt);
      }
    }
  }

  private unavailable(what: string, error: unknown): ServiceUnavailableError {
    this.logger.error(`Could not ${what}: ${describeError(error)}`);
    return new ServiceUnavailableError(SERVICE_DOWN);
  }
}

/** Where this module serves the message logs, for the 409 that points the client there. */
function logsPathOf(routePrefix: string): string {
  const prefix = routePrefix.replace(/^\/+|\/+$/g, '');
  return prefix === '' ? '/logs' : `/${prefix}/logs`;
}

/** The server was reached and refused this operation (busy, locked), as opposed to being unreachable. */
function isServerAnswer(error: unknown): boolean {
  return error instanceof Error && error.name === 'MongoServerError';
}

/** False when no server was ever reached (the write cannot be there, and a delete would wait as long again). */
function mayHaveLanded(error: unknown): boolean {
  const name = error instanceof Error ? error.name : '';
  return name !== 'MongoServerSelectionError' && name !== 'MongoNotConnectedError';
}

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}
