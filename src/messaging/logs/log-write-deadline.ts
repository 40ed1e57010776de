/** A log write did not settle in time; the database is stuck rather than refusing. */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';
}

/**
 * Settles like `work`, or rejects with DeadlineExceededError after `ms`.
 * The driver has no per-operation client timeout (its `timeoutMS` is ignored
 * since driver 7) and `socketTimeoutMS` would also cut the logs API's long
 * reads, so the send path bounds its own waits: a request must answer even
 * when the server never does. `work` keeps running; the caller decides what
 * happens if it lands later.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
