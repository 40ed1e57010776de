import type { Logger } from '@nestjs/common';
import type { Model } from 'mongoose';
import { describeError } from '../common/describe-error.js';
import type { MessageLog } from './message-log.schema.js';

/**
 * Rows written before tenants existed have no `tenant`: they are given their
 * `requestedBy`, the tenant their caller has when its token carries no
 * tenant claim, so a client keeps seeing its own old rows. One update per
 * distinct caller (no pipeline update: FerretDB 1.x has none). Rows without
 * `requestedBy` stay tenant-less: only an admin sees them. Idempotent and
 * cheap once done (an empty `distinct`); never rejects, a failure is a
 * warning and the next boot tries again. Returns the rows updated.
 */
export async function backfillTenants(model: Model<MessageLog>, logger: Pick<Logger, 'log' | 'warn'>): Promise<number> {
  try {
    const callers = (await model.distinct('requestedBy', { tenant: { $exists: false } }).exec()) as unknown[];
    let updated = 0;
    for (const caller of callers) {
      if (typeof caller !== 'string') continue;
      // Not a change of the message: `updatedAt` stays what it was.
      const result = await model
        .updateMany({ tenant: { $exists: false }, requestedBy: caller }, { $set: { tenant: caller } }, { timestamps: false })
        .exec();
      updated += result.modifiedCount;
    }
    if (updated > 0) logger.log(`Message log rows from before tenants: ${updated} given their requestedBy as tenant`);
    return updated;
  } catch (error) {
    logger.warn(`Could not give older message log rows a tenant: ${describeError(error)}`);
    return 0;
  }
}
