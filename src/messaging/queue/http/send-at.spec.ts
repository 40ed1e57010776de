import { parseSendAt, sendAtProblem } from './send-at.js';

describe('sendAt', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');

  it.each([
    ['2025-06-01T12:00:01Z', '2025-06-01T12:00:01.000Z'],
    ['2025-06-01T14:30+02:00', '2025-06-01T12:30:00.000Z'],
    ['2025-06-01T12:05:00.250-00:30', '2025-06-01T12:35:00.250Z'],
  ])('reads %s as %s', (value, iso) => {
    expect(parseSendAt(value)?.toISOString()).toBe(iso);
    expect(sendAtProblem(value, now)).toBeUndefined();
  });

  it.each(['2025-06-01', '2025-06-01T12:00:00', '2025-06-01 12:00:00Z', '2025-02-30T12:00:00Z', '2025-06-01T25:00:00Z', 'tomorrow', ''])(
    'refuses %j: not a date-time with a zone',
    (value) => {
      expect(sendAtProblem(value, now)).toMatch(/ISO-8601 date-time with Z or an offset/);
    },
  );

  it('refuses what is not a string', () => {
    expect(sendAtProblem(1_717_243_200_000, now)).toMatch(/ISO-8601/);
    expect(sendAtProblem(null, now)).toMatch(/ISO-8601/);
  });

  it('accepts a few seconds in the past as now, refuses more', () => {
    expect(sendAtProblem('2025-06-01T11:59:40Z', now)).toBeUndefined();
    expect(sendAtProblem('2025-06-01T11:59:00Z', now)).toBe('sendAt must not be in the past');
  });

  it('accepts up to 30 days ahead', () => {
    expect(sendAtProblem('2025-07-01T12:00:00Z', now)).toBeUndefined();
    expect(sendAtProblem('2025-07-01T12:00:01Z', now)).toBe('sendAt must be at most 30 days ahead');
  });
});
