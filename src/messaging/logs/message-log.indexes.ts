import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { Model } from 'mongoose';
import { MESSAGING_OPTIONS } from '../messaging.module-definition.js';
import type { MessagingModuleOptions } from '../messaging-options.interface.js';
import { MESSAGE_LOG_MODEL } from '../messaging.tokens.js';
import type { MessageLog } from './message-log.schema.js';
import { ensureLogIndexes, type IndexSpec, type LogIndexStore } from './log-index-plan.js';
import { backfillTenants } from './tenant-backfill.js';

/**
 * Creates the message log indexes declared in message-log.schema.ts, plus the
 * retention TTL index, and gives rows older than tenants their tenant
 * (tenant-backfill.ts), once the application has started. Not awaited: on a
 * large existing collection a first build can take minutes and the API
 * answers (more slowly) meanwhile. Never throws: a refused index is a
 * warning, not a reason to stop serving.
 */
@Injectable()
export class MessageLogIndexes implements OnApplicationBootstrap {
  private readonly logger = new Logger('MessageLogIndexes');
  private readonly retentionDays: number | undefined;

  constructor(
    @Inject(MESSAGE_LOG_MODEL) private readonly model: Model<MessageLog>,
    @Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions,
  ) {
    this.retentionDays = validRetentionDays(options.logs?.retentionDays);
  }

  onApplicationBootstrap(): void {
    // Neither rejects: every failure is already a logged warning.
    void backfillTenants(this.model, this.logger);
    void ensureLogIndexes(this.store(), this.model.schema.indexes() as IndexSpec[], {
      retentionDays: this.retentionDays,
      logger: this.logger,
    });
  }

  private store(): LogIndexStore {
    const collection = this.model.collection;
    return {
      createIndex: (keys, options) => collection.createIndex(keys, options),
      listIndexNames: async () => (await collection.indexes()).map((index) => String(index.name)),
      dropIndex: async (name) => {
        await collection.dropIndex(name);
      },
      setExpireAfterSeconds: async (name, seconds) => {
        const db = this.model.db.db;
        if (!db) throw new Error('not connected');
        await db.command({ collMod: collection.collectionName, index: { name, expireAfterSeconds: seconds } });
      },
    };
  }
}

/**
 * `retentionDays` must be a positive number (fractions allowed: 0.5 is 12
 * hours); anything else is a configuration error at boot. The module's
 * options validation says so first; this guards hosts that bypass it.
 */
function validRetentionDays(days: number | undefined): number | undefined {
  if (days === undefined) return undefined;
  if (typeof days !== 'number' || !Number.isFinite(days) || days <= 0) {
    throw new Error(`MessagingModule options: logs.retentionDays must be a positive number`);
  }
  return days;
}
