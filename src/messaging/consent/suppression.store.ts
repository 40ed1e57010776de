import { Inject, Injectable, Logger } from '@nestjs/common';
import mongoose, { type Model, type QueryFilter } from 'mongoose';
import type { ChannelName } from '../common/channel-names.js';
import { refusingScopes, type MessageCategory, type SuppressionScope } from '../common/consent-fields.js';
import { withDeadline } from '../common/deadline.js';
import { describeError } from '../common/describe-error.js';
import { ServiceUnavailableError } from '../errors/messaging.errors.js';
import { SuppressionFilter } from './suppression-filter.js';
import { EVERY_TENANT, SUPPRESSION_MODEL, type Suppression } from './suppression.schema.js';

/**
 * Bound on the lookup before a send: an unreachable or hung store answers 503 (nothing sent), like the
 * log store, never "send anyway". Generous, as FerretDB on SQLite may make a reader wait behind a writer.
 */
const LOOKUP_DEADLINE_MS = 10_000;
/** Bound on the list's own reads and writes (API, inbound keywords, provider rejections). */
const WRITE_DEADLINE_MS = 10_000;
const DUPLICATE_KEY = 11000;

/** A stored entry with its id (the list's paging key). */
export type StoredSuppression = Suppression & { _id: mongoose.Types.ObjectId };

/** The criteria of a page of the list. */
export interface SuppressionPageQuery {
  channel?: ChannelName;
  address?: string;
  limit: number;
  /** The `_id` (24 hex) of the last entry of the previous page. */
  after?: string;
}

/**
 * The suppression list: one indexed lookup per send (skipped when the in-memory filter knows none of
 * the recipients is listed), and the writes of every source (the API, inbound keywords, provider
 * rejections, one-click unsubscribes). Entries of EVERY_TENANT hold for every tenant.
 */
@Injectable()
export class SuppressionStore {
  private readonly logger = new Logger('Suppressions');

  constructor(
    @Inject(SUPPRESSION_MODEL) private readonly model: Model<Suppression>,
    private readonly filter: SuppressionFilter,
  ) {}

  /**
   * Which of `addresses` (normalised) `tenant` must not send a `category` message to on `channel`: one
   * query, `$in` over the addresses. Throws SERVICE_UNAVAILABLE when the list cannot be read in time.
   */
  async suppressedAmong(tenant: string, channel: ChannelName, addresses: string[], category: MessageCategory): Promise<Set<string>> {
    if (addresses.length === 0 || !this.filter.mayHoldAny(tenant, channel, addresses)) return new Set();
    const filter = {
      tenant: { $in: [tenant, EVERY_TENANT] },
      channel,
      address: addresses.length === 1 ? addresses[0] : { $in: addresses },
      scope: { $in: refusingScopes(category) },
    };
    try {
      // Straight to the driver: the filter holds only strings, so mongoose's query building and casting
      // added about 0.5 ms of CPU to every send for nothing (docs/benchmarks.md).
      const lookup = this.model.collection.find<Pick<Suppression, 'address'>>(filter, { projection: { address: 1, _id: 0 } }).toArray();
      const rows = await withDeadline(lookup, LOOKUP_DEADLINE_MS, 'suppression lookup');
      return new Set(rows.map((row) => row.address));
    } catch (error) {
      this.logger.error(`Could not read the suppression list: ${describeError(error)}`);
      throw new ServiceUnavailableError('The suppression list is unavailable; nothing was sent');
    }
  }

  /** Adds the entry unless it exists; resolves with the stored entry and whether this call created it. */
  async add(entry: Omit<Suppression, 'createdAt'>): Promise<{ row: StoredSuppression; created: boolean }> {
    const key = { tenant: entry.tenant, channel: entry.channel, address: entry.address, scope: entry.scope };
    // Before the write: from here on no send of this process may skip the lookup for this address.
    this.filter.note(entry);
    const existing = await this.bounded(this.model.findOne(key).lean<StoredSuppression>().exec());
    if (existing) return { row: existing, created: false };
    const row: StoredSuppression = { _id: new mongoose.Types.ObjectId(), ...entry, createdAt: new Date() };
    try {
      await this.bounded(this.model.create(row));
      return { row, created: true };
    } catch (error) {
      // A concurrent add won the unique index: theirs is the entry.
      const raced = errorCode(error) === DUPLICATE_KEY ? await this.bounded(this.model.findOne(key).lean<StoredSuppression>().exec()) : null;
      if (raced) return { row: raced, created: false };
      throw error;
    }
  }

  /** Removes `tenant`'s entries for the address (of `scope`, or both); resolves with how many went. */
  async remove(tenant: string, channel: ChannelName, address: string, scope?: SuppressionScope): Promise<number> {
    const filter: QueryFilter<Suppression> = { tenant, channel, address, ...(scope ? { scope } : {}) };
    const result = await this.bounded(this.model.deleteMany(filter).exec());
    return result.deletedCount;
  }

  /**
   * The recipient texted START (UNSTOP, YES): every entry of scope `all` that an opt-out made, for any
   * tenant (their STOP, and Twilio's 21610 refusals that followed it), goes. Manual entries stay.
   */
  async removeOptOuts(channel: ChannelName, address: string): Promise<number> {
    const filter: QueryFilter<Suppression> = { channel, address, scope: 'all', reason: { $in: ['opted_out', 'provider_rejected'] } };
    const result = await this.bounded(this.model.deleteMany(filter).exec());
    return result.deletedCount;
  }

  /** A page of what `tenant` sees (its own entries and EVERY_TENANT's), oldest first. */
  async page(tenant: string, query: SuppressionPageQuery): Promise<StoredSuppression[]> {
    const filter: QueryFilter<Suppression> = { tenant: { $in: [tenant, EVERY_TENANT] } };
    if (query.channel) filter.channel = query.channel;
    if (query.address !== undefined) filter.address = query.address;
    const after = query.after ? { _id: { $gt: new mongoose.Types.ObjectId(query.after) } } : {};
    const find = this.model.find({ ...filter, ...after }).sort({ _id: 1 }).limit(query.limit);
    return this.bounded(find.lean<StoredSuppression[]>().exec());
  }

  /** The list's own operations: 503 rather than a hung request or a 500 when the store fails. */
  private async bounded<T>(operation: Promise<T>): Promise<T> {
    try {
      return await withDeadline(operation, WRITE_DEADLINE_MS, 'suppression list');
    } catch (error) {
      if (errorCode(error) === DUPLICATE_KEY) throw error;
      this.logger.error(`Suppression list operation failed: ${describeError(error)}`);
      throw new ServiceUnavailableError('The suppression list is unavailable');
    }
  }
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}
