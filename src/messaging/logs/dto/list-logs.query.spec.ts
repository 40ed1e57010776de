import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync } from 'class-validator';
import { LIST_LOGS_QUERY_KEYS, ListLogsQueryDto } from './list-logs.query.js';
import { MAX_CURSOR_LENGTH } from '../../common/limits.js';

/** What the module's ValidationPipe does with a parsed query string (transform, whitelist, forbid unknown). */
function check(query: Record<string, unknown>) {
  const dto = plainToInstance(ListLogsQueryDto, query);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  return { dto, invalid: errors.map((e) => e.property) };
}

describe('ListLogsQueryDto', () => {
  it('accepts the documented query and converts limit/offset to numbers', () => {
    const { dto, invalid } = check({
      channel: 'email', to: 'user@example.com', status: 'sent', template: 'welcome',
      since: '2025-01-01', until: '2025-02-01T00:00:00Z', limit: '100', offset: '1000000',
      cursor: 'djE6MTczNjkzNzAwMTAwMDo2YjBiNGZkMjg2ZTBhYmY0N2ExMzRmNDY',
    });
    expect(invalid).toEqual([]);
    expect(dto.limit).toBe(100);
    expect(dto.offset).toBe(1_000_000);
  });

  it.each([
    ['unknown channel', { channel: 'fax' }, 'channel'],
    ['unknown status', { status: 'delivered!' }, 'status'],
    ['empty channel', { channel: '' }, 'channel'],
    ['limit 0', { limit: '0' }, 'limit'],
    ['limit 101', { limit: '101' }, 'limit'],
    ['limit 1.5', { limit: '1.5' }, 'limit'],
    ['limit 1e2', { limit: '1e2' }, 'limit'],
    ['limit abc', { limit: 'abc' }, 'limit'],
    ['limit negative', { limit: '-1' }, 'limit'],
    ['offset negative', { offset: '-1' }, 'offset'],
    ['offset too deep', { offset: '1000001' }, 'offset'],
    ['offset huge', { offset: '99999999999999999999' }, 'offset'],
    ['offset hex', { offset: '0x10' }, 'offset'],
    ['bad since', { since: 'yesterday' }, 'since'],
    ['bad until', { until: '2025-02-30' }, 'until'],
    ['empty recipient', { to: '' }, 'to'],
    ['recipient with CR/LF', { to: 'a@example.com\r\nBcc: x@example.com' }, 'to'],
    ['recipient too long', { to: `${'a'.repeat(320)}@x` }, 'to'],
    ['template with NUL', { template: 'a\u0000b' }, 'template'],
    ['cursor with base64 padding', { cursor: 'abc=' }, 'cursor'],
    ['cursor too long', { cursor: 'a'.repeat(MAX_CURSOR_LENGTH + 1) }, 'cursor'],
  ])('refuses %s', (_label, query, field) => {
    expect(check(query).invalid).toContain(field);
  });

  it.each([
    ['to as a list (repeated key)', { to: ['a@example.com', 'b@example.com'] }, 'to'],
    ['to as an operator object', { to: { $ne: 'x' } }, 'to'],
    ['to as an operator object with an empty value', { to: { $gt: '' } }, 'to'],
    ['channel as $in', { channel: { $in: ['email', 'sms'] } }, 'channel'],
    ['channel repeated', { channel: ['email', 'sms'] }, 'channel'],
    ['status as $regex', { status: { $regex: '.*' } }, 'status'],
    ['template as $exists', { template: { $exists: true } }, 'template'],
    ['limit repeated', { limit: ['1', '2'] }, 'limit'],
    ['since as $gt', { since: { $gt: '' } }, 'since'],
    ['cursor as an object', { cursor: { $ne: null } }, 'cursor'],
  ])('refuses non-string values: %s', (_label, query, field) => {
    expect(check(query).invalid).toContain(field);
  });

  it('refuses unknown keys, including bracketed operator keys', () => {
    expect(check({ 'to[$ne]': 'x' }).invalid).toContain('to[$ne]');
    expect(check({ sort: 'createdAt' }).invalid).toContain('sort');
  });

  it('LIST_LOGS_QUERY_KEYS (checked before the pipe) names exactly the validated properties', () => {
    const validated = getMetadataStorage()
      .getTargetValidationMetadatas(ListLogsQueryDto, '', true, false)
      .map((metadata) => metadata.propertyName);
    expect([...LIST_LOGS_QUERY_KEYS].sort()).toEqual([...new Set(validated)].sort());
  });
});
