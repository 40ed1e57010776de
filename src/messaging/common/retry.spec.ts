import { retryDelayMs, withRetries, type RetryNotice } from './retry.js';

class Transient extends Error {}
class Permanent extends Error {}

/** Runs withRetries with an operation failing with `errors` in turn, then succeeding. */
function run(errors: Error[], maxRetries = 2) {
  let attempts = 0;
  const pauses: number[] = [];
  const notices: RetryNotice[] = [];
  const outcome = withRetries(
    (attempt) => {
      attempts = attempt;
      const error = errors[attempt - 1];
      return error ? Promise.reject(error) : Promise.resolve(`ok on ${attempt}`);
    },
    { maxRetries, backoffMs: 200 },
    {
      isRetryable: (error) => error instanceof Transient,
      onRetry: (notice) => notices.push(notice),
      sleep: (ms) => {
        pauses.push(ms);
        return Promise.resolve();
      },
    },
  );
  return { outcome, attempts: () => attempts, pauses, notices };
}

describe('withRetries', () => {
  it('returns the first success without pausing', async () => {
    const r = run([]);
    await expect(r.outcome).resolves.toBe('ok on 1');
    expect(r.pauses).toEqual([]);
  });

  it('retries transient failures with doubling pauses, then succeeds', async () => {
    const r = run([new Transient(), new Transient()]);
    await expect(r.outcome).resolves.toBe('ok on 3');
    expect(r.pauses).toEqual([200, 400]);
    expect(r.notices.map((n) => [n.retry, n.delayMs])).toEqual([
      [1, 200],
      [2, 400],
    ]);
  });

  it('stops after maxRetries and rethrows the last error', async () => {
    const last = new Transient('third');
    const r = run([new Transient(), new Transient(), last]);
    await expect(r.outcome).rejects.toBe(last);
    expect(r.attempts()).toBe(3);
  });

  it('never retries a permanent failure', async () => {
    const permanent = new Permanent();
    const r = run([permanent]);
    await expect(r.outcome).rejects.toBe(permanent);
    expect(r.attempts()).toBe(1);
    expect(r.pauses).toEqual([]);
  });

  it('stops at a permanent failure met during retries', async () => {
    const r = run([new Transient(), new Permanent()]);
    await expect(r.outcome).rejects.toBeInstanceOf(Permanent);
    expect(r.attempts()).toBe(2);
  });

  it('makes one attempt when maxRetries is 0', async () => {
    const r = run([new Transient()], 0);
    await expect(r.outcome).rejects.toBeInstanceOf(Transient);
    expect(r.attempts()).toBe(1);
  });
});

describe('retryDelayMs', () => {
  it('doubles from the backoff: bounded total for the default policy (200 + 400 ms)', () => {
    const policy = { maxRetries: 2, backoffMs: 200 };
    expect([1, 2, 3].map((n) => retryDelayMs(policy, n))).toEqual([200, 400, 800]);
  });
});
