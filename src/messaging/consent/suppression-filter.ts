import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { BloomFilter } from 'bloomfilter';
import type { Model } from 'mongoose';
import type { ChannelName } from '../common/channel-names.js';
import { describeError } from '../common/describe-error.js';
import { MESSAGING_OPTIONS } from '../messaging.module-definition.js';
import { DEFAULT_CONSENT_SYNC_MS, type MessagingModuleOptions } from '../messaging-options.interface.js';
import { EVERY_TENANT, SUPPRESSION_MODEL, type Suppression } from './suppression.schema.js';

/**
 * Each read-in asks for entries created since the last one began, minus this margin: an entry's
 * `createdAt` comes from the clock of the process that wrote it, and a write may land a while after
 * that stamp. A small margin keeps a mass import from being re-read every second.
 */
const CLOCK_MARGIN_MS = 5_000;
/**
 * The whole list is read again this often: it catches an entry that the margin missed (a clock more
 * than 5 s off, a write stuck longer) and drops removed entries, which a Bloom filter cannot forget.
 */
const FULL_READ_EVERY_MS = 10 * 60_000;
/** False positives (a needless database lookup) the filter is sized for. */
const FALSE_POSITIVE_RATE = 0.01;
/** Entries the filter holds before it is rebuilt larger; it starts at twice the list, at least this. */
const MIN_CAPACITY = 10_000;

/**
 * The list as an in-memory Bloom filter over (tenant, channel, address), so the check before a send
 * asks the database only for a recipient the filter may hold; a clean "no" skips the lookup. Measured
 * on FerretDB, that lookup cost 15 to 20 % of send throughput (docs/benchmarks.md), against the 5 %
 * issue #18 allows.
 *
 * What it trades: an entry written by this process holds at once; one written by another instance (or
 * the worker process) holds here within `consent.syncMs` (1 s), when the read-in brings it. Twilio
 * itself refuses numbers that texted STOP, and RFC 8058 / CAN-SPAM allow days, not seconds, for
 * unsubscribes. `consent.syncMs: 0` turns the filter off: every send then asks the database.
 *
 * Until the first full read succeeds, and whenever a read-in fails, the filter is not trusted and
 * every check asks the database, so an outage never lets a suppressed recipient through. Removed
 * entries stay in the filter until the next full read (every 10 minutes, or when it fills); they only
 * cost a lookup. The bloomfilter package (no dependencies, 6 kB) does the hashing.
 */
/** What the filter holds of a suppression: whose list, which channel, which address. */
type SuppressedAddress = Pick<Suppression, 'tenant' | 'channel' | 'address'>;

@Injectable()
export class SuppressionFilter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Suppressions');
  private readonly syncMs: number;
  private filter?: BloomFilter;
  private capacity = MIN_CAPACITY;
  private held = 0;
  private trusted = false;
  /** When the last successful read began: the next one reads entries created since (minus the margin). */
  private readFrom?: Date;
  private lastFullRead = 0;
  private timer?: NodeJS.Timeout;
  private reading?: Promise<void>;
  /** Entries noted while a full read runs: its reset would drop them, so they go in again after. */
  private notedDuringRead: SuppressedAddress[] = [];
  private failing = false;

  constructor(
    @Inject(SUPPRESSION_MODEL) private readonly model: Model<Suppression>,
    @Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions,
  ) {
    this.syncMs = options.consent?.syncMs ?? DEFAULT_CONSENT_SYNC_MS;
  }

  onApplicationBootstrap(): void {
    if (this.syncMs === 0) return;
    void this.sync();
    this.timer = setInterval(() => void this.sync(), this.syncMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /**
   * False only when none of `addresses` (normalised) can be on `tenant`'s list for `channel`: the
   * caller may then skip the lookup. True when one may be, or when the filter is off or not trusted.
   */
  mayHoldAny(tenant: string, channel: ChannelName, addresses: string[]): boolean {
    const filter = this.filter;
    if (!this.trusted || filter === undefined) return true;
    return addresses.some((address) => filter.test(keyOf(tenant, channel, address)) || filter.test(keyOf(EVERY_TENANT, channel, address)));
  }

  /** An entry this process just wrote: it holds from now on, before any read-in. */
  note(entry: SuppressedAddress): void {
    if (this.reading) this.notedDuringRead.push(entry);
    this.insert(entry);
  }

  /**
   * Reads the whole list (the first time, when the filter is full, and every 10 minutes) or what was
   * created since the last read began.
   */
  async sync(): Promise<void> {
    if (this.reading) return this.reading; // one read at a time; a slow database must not pile them up
    this.reading = this.read().finally(() => {
      this.reading = undefined;
      this.notedDuringRead = [];
    });
    return this.reading;
  }

  private async read(): Promise<void> {
    const startedAt = new Date();
    const readFrom = this.readFrom; // undefined until the first read succeeds, which builds the filter
    const whole = readFrom === undefined || this.held > this.capacity || startedAt.getTime() - this.lastFullRead >= FULL_READ_EVERY_MS;
    try {
      if (whole) {
        await this.rebuild();
        this.lastFullRead = startedAt.getTime();
      } else {
        await this.readSince(new Date(readFrom.getTime() - CLOCK_MARGIN_MS));
      }
      for (const entry of this.notedDuringRead) this.insert(entry);
      this.readFrom = startedAt;
      this.trusted = true;
      if (this.failing) this.logger.log('The suppression list is read again; sends skip the lookup when they can');
      this.failing = false;
    } catch (error) {
      // Not trusted until a read succeeds; readFrom stays, so that read brings everything missed.
      this.trusted = false;
      if (!this.failing) this.logger.warn(`Could not read the suppression list (${describeError(error)}); every send looks it up meanwhile`);
      this.failing = true;
    }
  }

  /**
   * A new filter, sized from a count and filled from a cursor (a long list never sits in memory as an
   * array), that replaces the old one once complete: until then the old one answers. Entries noted
   * meanwhile go into both (read() adds notedDuringRead after).
   */
  private async rebuild(): Promise<void> {
    const capacity = Math.max(MIN_CAPACITY, (await this.model.estimatedDocumentCount().exec()) * 2);
    // Optimal size for `capacity` entries at FALSE_POSITIVE_RATE: m = -n ln p / (ln 2)^2, k = (m / n) ln 2.
    const bits = Math.ceil((-capacity * Math.log(FALSE_POSITIVE_RATE)) / Math.LN2 ** 2);
    const filter = new BloomFilter(bits, Math.max(1, Math.round((bits / capacity) * Math.LN2)));
    let held = 0;
    for await (const row of this.rows({})) {
      filter.add(keyOf(row.tenant, row.channel, row.address));
      held++;
    }
    this.filter = filter;
    this.capacity = capacity;
    this.held = held;
  }

  private async readSince(since: Date): Promise<void> {
    for await (const row of this.rows({ createdAt: { $gte: since } })) this.insert(row);
  }

  private rows(filter: object): AsyncIterable<SuppressedAddress> {
    return this.model.find(filter, { tenant: 1, channel: 1, address: 1, _id: 0 }).lean<SuppressedAddress>().cursor();
  }

  private insert(entry: SuppressedAddress): void {
    if (this.filter === undefined) return; // the first full read will bring it
    this.filter.add(keyOf(entry.tenant, entry.channel, entry.address));
    this.held++;
  }
}

/** NUL cannot occur in a tenant, a channel or a normalised address, so keys never run together. */
function keyOf(tenant: string, channel: string, address: string): string {
  return `${tenant}\u0000${channel}\u0000${address}`;
}
