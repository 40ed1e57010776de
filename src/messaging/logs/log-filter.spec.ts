import { Types } from 'mongoose';
import { afterPosition, buildLogFilter, isUnfiltered, NEWEST_FIRST, type LogCriteria } from './log-filter.js';
import { MessageLogSchema } from './message-log.schema.js';

describe('buildLogFilter', () => {
  it('is empty without criteria', () => {
    expect(buildLogFilter({})).toEqual({});
    expect(isUnfiltered({})).toBe(true);
    expect(isUnfiltered({ channel: undefined })).toBe(true);
    expect(isUnfiltered({ channel: 'sms' })).toBe(false);
  });

  it('puts each value in a value position, as a plain equality', () => {
    expect(buildLogFilter({ channel: 'sms', status: 'failed', to: '+15550001111', template: 'welcome' })).toEqual({
      channel: 'sms',
      status: 'failed',
      to: '+15550001111',
      template: 'welcome',
    });
  });

  it('keeps operator-looking strings literal', () => {
    const filter = buildLogFilter({ to: '$ne', template: '{"$gt":""}' });
    expect(filter).toEqual({ to: '$ne', template: '{"$gt":""}' });
  });

  it('turns since/until into an inclusive-exclusive createdAt range', () => {
    const since = new Date('2025-01-01T00:00:00Z');
    const until = new Date('2025-02-01T00:00:00Z');
    expect(buildLogFilter({ since })).toEqual({ createdAt: { $gte: since } });
    expect(buildLogFilter({ until })).toEqual({ createdAt: { $lt: until } });
    expect(buildLogFilter({ since, until, channel: 'email' })).toEqual({
      channel: 'email',
      createdAt: { $gte: since, $lt: until },
    });
  });
});

describe('afterPosition', () => {
  const position = { createdAt: new Date('2025-01-15T10:30:00Z'), id: '65a1b2c3d4e5f6a7b8c9d0e1' };
  const after = {
    createdAt: { $lte: position.createdAt },
    $or: [{ createdAt: { $lt: position.createdAt } }, { _id: { $lt: new Types.ObjectId(position.id) } }],
  };

  it('selects rows strictly after the position in newest-first order', () => {
    expect(afterPosition({}, position)).toEqual(after);
  });

  it('keeps the filter (and its own createdAt range) beside the position', () => {
    const filter = buildLogFilter({ channel: 'sms', since: new Date('2025-01-01T00:00:00Z') });
    expect(afterPosition(filter, position)).toEqual({ $and: [filter, after] });
  });
});

/**
 * Every documented filter (alone, channel+status, and with a date range)
 * must have an index whose leading keys are exactly its equality fields,
 * followed by the newest-first sort: then MongoDB reads a page straight off
 * the index, at any offset or cursor, without sorting in memory.
 */
describe('indexes serve every documented filter with the newest-first sort', () => {
  const indexKeys = MessageLogSchema.indexes().map(([keys]) => Object.entries(keys));
  const sortKeys = Object.entries(NEWEST_FIRST);

  const servedBy = (equalityFields: string[]) =>
    indexKeys.find((keys) => {
      const head = keys.slice(0, equalityFields.length).map(([field]) => field);
      const tail = keys.slice(equalityFields.length);
      return head.every((f) => equalityFields.includes(f)) && head.length === equalityFields.length &&
        JSON.stringify(tail) === JSON.stringify(sortKeys);
    });

  // Every caller but an admin reads one tenant's rows; an admin may read every tenant's, unfiltered.
  const tenant = 'acme';
  const documented: Record<string, LogCriteria> = {
    'every tenant (admin)': {},
    none: { tenant },
    channel: { tenant, channel: 'email' },
    status: { tenant, status: 'failed' },
    to: { tenant, to: 'user@example.com' },
    template: { tenant, template: 'welcome' },
    'channel+status': { tenant, channel: 'email', status: 'failed' },
  };

  it.each(Object.entries(documented))('%s', (_name, criteria) => {
    const equalityFields = Object.keys(buildLogFilter(criteria));
    expect(servedBy(equalityFields)).toBeDefined();
    // since/until only bound the createdAt part of the same index.
    const ranged = Object.keys(buildLogFilter({ ...criteria, since: new Date(0), until: new Date() }));
    expect(ranged.filter((field) => field !== 'createdAt')).toEqual(equalityFields);
  });

  it('are built by MessageLogIndexes at startup, not by Mongoose autoIndex', () => {
    expect(MessageLogSchema.get('autoIndex')).toBe(false);
  });
});
