import { backoffDelayMs, MAX_BACKOFF_MS } from './delivery-backoff.js';

describe('backoffDelayMs', () => {
  it('doubles per failed attempt, between half and all of the exponential delay', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, 1_000, () => 0))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, 1_000, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(backoffDelayMs(3, 1_000, () => 0.5)).toBe(3_000);
  });

  it('spreads the retries of messages that failed together', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647);
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelayMs(2, 1_000, random)));
    expect(delays.size).toBeGreaterThan(40);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(1_000);
  });

  it('is capped, even for absurd attempt numbers, and zero with a zero base', () => {
    expect(backoffDelayMs(60, 1_000, () => 1)).toBe(MAX_BACKOFF_MS);
    expect(backoffDelayMs(1_000, 3_600_000, () => 0)).toBe(MAX_BACKOFF_MS / 2);
    expect(backoffDelayMs(3, 0)).toBe(0);
  });
});
