import { ValidationError } from '../errors/messaging.errors.js';
import { encodeLogCursor as encodeWith, logCursorKey, type LogPosition } from './log-cursor.js';
import type { ListLogsQueryDto } from './dto/list-logs.query.js';
import { toLogsRequest as toRequestWith } from './logs-request.js';

const key = logCursorKey('k'.repeat(32));
const encodeLogCursor = (position: LogPosition) => encodeWith(position, key);
const toLogsRequest = (query: ListLogsQueryDto) => toRequestWith(query, key);

const query = (fields: Partial<ListLogsQueryDto>): ListLogsQueryDto => Object.assign(new (class {})(), fields);

function fieldsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    const details = (error as ValidationError).details as { fields: { field: string }[] };
    return details.fields.map((f) => f.field);
  }
  throw new Error('expected a ValidationError');
}

describe('toLogsRequest', () => {
  it('defaults to the first 20 rows, unfiltered', () => {
    expect(toLogsRequest(query({}))).toEqual({
      criteria: { channel: undefined, to: undefined, status: undefined, template: undefined, since: undefined, until: undefined },
      limit: 20,
      offset: 0,
    });
  });

  it('parses dates and carries every filter', () => {
    const request = toLogsRequest(
      query({
        channel: 'sms',
        to: '+15550001111',
        status: 'sent',
        template: 't',
        since: '2025-01-01',
        until: '2025-01-02T00:00:00+01:00',
        limit: 5,
        offset: 10,
      }),
    );
    expect(request.criteria).toEqual({
      channel: 'sms',
      to: '+15550001111',
      status: 'sent',
      template: 't',
      since: new Date('2025-01-01T00:00:00Z'),
      until: new Date('2025-01-01T23:00:00Z'),
    });
    expect(request).toMatchObject({ limit: 5, offset: 10 });
  });

  it('decodes a cursor into the position to start after', () => {
    const position = { createdAt: new Date('2025-01-15T10:30:00Z'), id: '65a1b2c3d4e5f6a7b8c9d0e1' };
    expect(toLogsRequest(query({ cursor: encodeLogCursor(position), offset: 0 })).after).toEqual(position);
  });

  it('refuses since after until, a cursor it did not issue, and offset beside a cursor', () => {
    expect(fieldsOf(() => toLogsRequest(query({ since: '2025-02-01', until: '2025-01-01' })))).toEqual(['since']);
    expect(fieldsOf(() => toLogsRequest(query({ cursor: 'bm90LWEtY3Vyc29y' })))).toEqual(['cursor']);
    const cursor = encodeLogCursor({ createdAt: new Date(), id: '65a1b2c3d4e5f6a7b8c9d0e1' });
    expect(fieldsOf(() => toLogsRequest(query({ cursor, offset: 20 })))).toEqual(['offset']);
  });

  it('accepts an empty range (since equal to until)', () => {
    expect(() => toLogsRequest(query({ since: '2025-01-01', until: '2025-01-01' }))).not.toThrow();
  });
});
