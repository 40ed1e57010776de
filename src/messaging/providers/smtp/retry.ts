/** How often, and how patiently, a transient failure is tried again. */
export interface RetryPolicy {
  /** Attempts in total, the first included (1 = never retry). */
  attempts: number;
  /** Wait before the second attempt; doubles before each further one. */
  backoffMs: number;
}

/**
 * Runs `attempt` until it succeeds, fails with an error `isRetryable` refuses,
 * or `policy.attempts` attempts have failed; then rethrows the last error.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  isRetryable: (error: unknown) => boolean,
  policy: RetryPolicy,
): Promise<T> {
  for (let number = 1; ; number++) {
    try {
      return await attempt();
    } catch (error) {
      if (number >= policy.attempts || !isRetryable(error)) throw error;
      await sleep(policy.backoffMs * 2 ** (number - 1));
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
