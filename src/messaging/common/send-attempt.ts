// In common/ so the send path (logs/message-dispatcher.ts) can report a provider call without
// depending on the HTTP idempotency feature that reads it (idempotency/idempotency.interceptor.ts).
import { AsyncLocalStorage } from 'node:async_hooks';

/** What one request with an Idempotency-Key did, as far as its outcome is concerned. */
export interface SendAttempt {
  /** A provider was handed a message: the request's outcome must be kept, not forgotten. */
  providerCalled: boolean;
}

const attempts = new AsyncLocalStorage<SendAttempt>();

/**
 * Runs `work` (the route handler) while recording whether it reached a
 * provider. The idempotency interceptor needs that to decide what a failed
 * request leaves behind: a failure before any provider call (validation,
 * unconfigured provider, the log store down…) sent nothing, so the key is
 * released for a corrected retry; a failure after one must be replayed, never
 * re-sent. Async context rather than an argument, so the channel services
 * and their signatures stay as they are.
 */
export function trackSendAttempt<T>(attempt: SendAttempt, work: () => Promise<T>): Promise<T> {
  return attempts.run(attempt, work);
}

/**
 * Called by MessageDispatcher right before it hands a message to a provider
 * (after the log row is written). A no-op outside a tracked request, e.g. in
 * a host's own code or a queue worker.
 */
export function noteProviderCall(): void {
  const attempt = attempts.getStore();
  if (attempt) attempt.providerCalled = true;
}
