import { parseIsoInstant } from '../logs/dto/iso-instant.js';
import { sendAtProblem } from '../queue/http/send-at.js';
import { ISO_INSTANT } from './logs-api.decorators.js';
import { exampleSendAt, schedulableSendAtPattern } from './send-at-window.js';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

describe('since/until pattern of the document', () => {
  const documented = new RegExp(ISO_INSTANT);

  // Every month 00-13 and day 00-32 of years around each leap-year rule: the pattern admits a date
  // exactly when the API (parseIsoInstant) does.
  it.each([0, 1, 4, 100, 400, 1900, 2000, 2023, 2024, 2100, 9999])('agrees with the API on every date of year %i', (year) => {
    const disagreements: string[] = [];
    for (let month = 0; month <= 13; month++) {
      for (let day = 0; day <= 32; day++) {
        const value = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
        if (documented.test(value) !== (parseIsoInstant(value) !== undefined)) disagreements.push(value);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it.each([
    ['2025-01-15T23:59:59.123456789+23:59', true],
    ['2025-01-15T10:30Z', true],
    ['2025-01-15T24:00Z', false],
    ['2025-01-15T10:60Z', false],
    ['2025-01-15T10:30:60Z', false],
    ['2025-01-15T10:30+24:00', false],
    ['2025-01-15T10:30', false],
    ['0000-00-00', false],
  ])('agrees with the API on %s', (value, accepted) => {
    expect(parseIsoInstant(value) !== undefined).toBe(accepted);
    expect(documented.test(value)).toBe(accepted);
  });
});

describe('sendAt window of the document', () => {
  // Just after and just before midnight UTC: the window's edges move with the day.
  it.each(['2026-11-30T00:00:01Z', '2026-11-30T23:59:59Z', '2028-02-27T12:00:00Z'])(
    'admits only values the API accepts at %s and for a day after',
    (at) => {
      const now = Date.parse(at);
      const pattern = new RegExp(schedulableSendAtPattern(now));
      const days = [...schedulableSendAtPattern(now).matchAll(/\d{4}-\d{2}-\d{2}/g)].map((m) => m[0]);
      expect(days).toHaveLength(27);
      for (const day of days) {
        for (const value of [`${day}T00:00-23:59`, `${day}T00:00:00Z`, `${day}T23:59:59.999999999+23:59`, `${day}T23:59-23:59`]) {
          expect(pattern.test(value)).toBe(true);
          for (const later of [now, now + 86_000_000]) expect({ value, problem: sendAtProblem(value, later) }).toEqual({ value, problem: undefined });
        }
      }
      expect(pattern.test(exampleSendAt(now))).toBe(true);
      expect(sendAtProblem(exampleSendAt(now), now)).toBeUndefined();
      // Today and tomorrow are left out: with a negative offset they can name an instant already past.
      const today = new Date(now).toISOString().slice(0, 10);
      expect(pattern.test(`${today}T23:59Z`)).toBe(false);
      expect(pattern.test('2025-06-01T09:00:00Z')).toBe(false);
    },
  );
});
