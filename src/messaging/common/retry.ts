/**
 * How often, and how patiently, a failed call is tried again (Twilio sends,
 * SMTP sends). Counted in retries, like the `maxRetries` option users set.
 */
export interface RetryPolicy {
  /** Retries after the first attempt; 0 disables retrying. */
  maxRetries: number;
  /** Pause before the first retry; doubled for each next one. */
  backoffMs: number;
}

/** What a retry loop reports before each pause (for logging). */
export interface RetryNotice {
  /** 1 for the first retry. */
  retry: number;
  delayMs: number;
  error: unknown;
}

export interface RetryHooks {
  /** Whether this error is worth another attempt. */
  isRetryable: (error: unknown) => boolean;
  onRetry?: (notice: RetryNotice) => void;
  /** Replaceable so unit tests need no real timers. */
  sleep?: (ms: number) => Promise<void>;
}

/** Pause before retry number `retry` (1-based): backoff, 2×backoff, 4×backoff... */
export function retryDelayMs(policy: RetryPolicy, retry: number): number {
  return policy.backoffMs * 2 ** (retry - 1);
}

/**
 * Runs `operation` until it succeeds, fails with an error that is not
 * retryable, or has been retried `policy.maxRetries` times; the last error
 * is rethrown. Attempts are numbered from 1.
 */
export async function withRetries<T>(
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  hooks: RetryHooks,
): Promise<T> {
  const sleep = hooks.sleep ?? defaultSleep;
  for (let retry = 0; ; retry++) {
    try {
      return await operation(retry + 1);
    } catch (error) {
      if (retry >= policy.maxRetries || !hooks.isRetryable(error)) throw error;
      const delayMs = retryDelayMs(policy, retry + 1);
      hooks.onRetry?.({ retry: retry + 1, delayMs, error });
      await sleep(delayMs);
    }
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
