import type { BackoffStrategy } from 'bullmq';

/** Name of our strategy in a job's `backoff.type` (BullMQ looks up custom strategies by it). */
export const DELIVERY_BACKOFF_TYPE = 'fluxkit-exponential-jitter';

/** No wait between two attempts grows beyond this, whatever the base and the attempt. */
export const MAX_BACKOFF_MS = 15 * 60_000;

/**
 * Wait before the retry that follows failed attempt number `failedAttempts`
 * (1 after the first attempt): `baseMs × 2^(failedAttempts − 1)`, capped at
 * MAX_BACKOFF_MS, with "equal jitter": half of it fixed, the other half
 * random. Messages that failed together (a provider outage) thus come back
 * spread out rather than in one wave, and never immediately.
 */
export function backoffDelayMs(failedAttempts: number, baseMs: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.floor(failedAttempts) - 1);
  const full = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.min(exponent, 40));
  const half = full / 2;
  return Math.round(half + random() * half);
}

/**
 * The strategy as BullMQ calls it (worker setting `backoffStrategy`). The base
 * is the job's own `backoff.delay`, set from QUEUE_BACKOFF_MS when the message
 * was enqueued, so every worker waits the same for the same message.
 */
export const deliveryBackoffStrategy: BackoffStrategy = (attemptsMade, _type, _error, job) => {
  const backoff = job?.opts.backoff;
  const base = typeof backoff === 'object' && typeof backoff.delay === 'number' ? backoff.delay : 0;
  return backoffDelayMs(attemptsMade, base);
};
