/** A wait did not settle in time, e.g. a database that is stuck rather than refusing. */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';
}

/**
 * Settles like `work`, unless `ms` passes first or `signal` aborts first
 * (rejects with its reason). When the time is up it rejects with
 * DeadlineExceededError ("`onTimeout` did not finish within `ms` ms") when
 * `onTimeout` is a label, else with the error `onTimeout` builds.
 *
 * Client timeouts do not bound a whole call: the Twilio SDK's only measures
 * socket inactivity (a server that trickles bytes holds a request for ever),
 * and the MongoDB driver has no per-operation one (`timeoutMS` is ignored
 * since driver 7; `socketTimeoutMS` would also cut the logs API's long
 * reads). A request must answer even when the server never does. `work`
 * keeps running; the caller decides what happens if it lands later, and its
 * late failure is handled here (no unhandled rejection).
 */
export function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  onTimeout: string | (() => Error),
  signal?: AbortSignal,
): Promise<T> {
  if (signal?.aborted) {
    work.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => finish(() => reject(abortReason(signal)));
    const timer = setTimeout(() => finish(() => reject(timeoutError(onTimeout, ms))), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    function finish(settle: () => void): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    }
    work.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error instanceof Error ? error : new Error(String(error)))),
    );
  });
}

function timeoutError(onTimeout: string | (() => Error), ms: number): Error {
  return typeof onTimeout === 'string'
    ? new DeadlineExceededError(`${onTimeout} did not finish within ${ms} ms`)
    : onTimeout();
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error('aborted');
}
