import { registerDecorator, type ValidationOptions } from 'class-validator';

/**
 * `2025-01-15` (midnight UTC) or a date-time with an explicit offset:
 * `2025-01-15T10:30Z`, `2025-01-15T10:30:00.000Z`, `2025-01-15T12:30:00+02:00`.
 * A date-time without `Z` or an offset is refused: it would silently mean
 * the server's local time.
 */
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2})))?$/;

/** The instant an ISO-8601 string names, or `undefined` when it is not a real date in the accepted forms. */
export function parseIsoInstant(value: string): Date | undefined {
  const match = ISO_INSTANT.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0', , , offsetHours = '0', offsetMinutes = '0'] =
    match;
  if (!isCalendarDate(Number(year), Number(month), Number(day))) return undefined;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return undefined;
  // Date-only strings are UTC in ECMAScript, and the rest carry an offset,
  // so Date parsing is exact here; it also handles the fraction digits.
  const date = new Date(match[4] === undefined ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one (setUTCFullYear, unlike
  // Date.UTC, does not map years 0-99 to 1900-1999).
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(year, month, 0);
  return day <= lastDay.getUTCDate();
}

/** class-validator: a string that parseIsoInstant() accepts. */
export function IsIsoInstant(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isIsoInstant',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message:
          '$property must be an ISO-8601 date (2025-01-15) or date-time with Z or an offset (2025-01-15T10:30:00Z)',
        ...options,
      },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && parseIsoInstant(value) !== undefined,
      },
    });
  };
}
