import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Model } from 'mongoose';
import { IDEMPOTENCY_MODEL, type IdempotencyRecord } from './idempotency-record.schema.js';
import { describeError } from '../common/describe-error.js';

export const IDEMPOTENCY_TTL_INDEX_NAME = 'expiresAt_ttl';
/** Without a TTL index, expired records are swept this often (they are already ignored on read). */
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Expiry of Idempotency-Key records once their 24 hours are over. Where the
 * database has TTL indexes (MongoDB), one on `expiresAt` deletes them. FerretDB
 * 1.x refuses TTL indexes: that is a warning, not a reason to stop, since
 * every read already treats an expired record as absent (and replaces it),
 * and an hourly sweep deletes them instead. Not awaited at startup, never throws.
 */
@Injectable()
export class IdempotencyIndexes implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Idempotency');
  private sweeper: NodeJS.Timeout | undefined;

  constructor(@Inject(IDEMPOTENCY_MODEL) private readonly model: Model<IdempotencyRecord>) {}

  onApplicationBootstrap(): void {
    void this.ensureTtlIndex();
  }

  onApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  private async ensureTtlIndex(): Promise<void> {
    try {
      await this.model.collection.createIndex({ expiresAt: 1 }, { name: IDEMPOTENCY_TTL_INDEX_NAME, expireAfterSeconds: 0 });
    } catch (error) {
      this.logger.warn(
        `The database refused the TTL index on idempotency_keys.expiresAt (${describeError(error)}); ` +
          'expired keys are ignored on read and swept hourly instead',
      );
      this.sweeper = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
      this.sweeper.unref();
    }
  }

  private async sweep(): Promise<void> {
    try {
      await this.model.deleteMany({ expiresAt: { $lte: new Date() } }).exec();
    } catch (error) {
      this.logger.warn(`Could not sweep expired idempotency keys: ${describeError(error)}`);
    }
  }
}
