import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Model } from 'mongoose';
import { describeError } from '../common/describe-error.js';
import { SUPPRESSION_INDEX_NAME, SUPPRESSION_MODEL, type Suppression } from './suppression.schema.js';

/**
 * The unique index on `{ tenant, channel, address, scope }`: it makes adding an entry idempotent under
 * concurrency (a second insert meets a duplicate key) and serves the one lookup before every send
 * (tenant and channel equal, address `$in`). Created at startup, not awaited; a refusal is logged, since
 * the lookups still answer correctly without it, only slower.
 */
@Injectable()
export class SuppressionIndexes implements OnApplicationBootstrap {
  private readonly logger = new Logger('Suppressions');

  constructor(@Inject(SUPPRESSION_MODEL) private readonly model: Model<Suppression>) {}

  onApplicationBootstrap(): void {
    void this.ensure();
  }

  async ensure(): Promise<void> {
    try {
      await this.model.collection.createIndex(
        { tenant: 1, channel: 1, address: 1, scope: 1 },
        { name: SUPPRESSION_INDEX_NAME, unique: true },
      );
      // The filter's read-in every second (suppression-filter.ts): entries created since the last one.
      await this.model.collection.createIndex({ createdAt: 1 }, { name: 'created_at' });
    } catch (error) {
      this.logger.error(`The database refused the suppressions index (${describeError(error)}); lookups scan the collection`);
    }
  }
}
