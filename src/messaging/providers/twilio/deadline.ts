import { TwilioTimeoutError } from './twilio-errors.js';

/**
 * Settles like `operation`, unless `timeoutMs` passes first (rejects with
 * TwilioTimeoutError) or `signal` aborts first (rejects with its reason).
 *
 * The SDK's own timeout only measures socket inactivity, so a server that
 * trickles bytes could hold a request open for ever; this bounds the whole
 * call. The abandoned request is left to the SDK's socket timeout.
 */
export function withDeadline<T>(operation: Promise<T>, timeoutMs: number, signal?: AbortSignal): Promise<T> {
  if (signal?.aborted) {
    operation.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => finish(() => reject(abortReason(signal)));
    const timer = setTimeout(() => finish(() => reject(new TwilioTimeoutError(timeoutMs))), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    function finish(settle: () => void): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    }
    operation.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error instanceof Error ? error : new Error(String(error)))),
    );
  });
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error('aborted');
}
