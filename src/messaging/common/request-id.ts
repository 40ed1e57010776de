// In common/ so the send path (channels/, logs/), the queue's workers and the standalone app's
// Fastify hook can all read the request id without depending on each other.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** The header a client may send its own id in, and that every answer carries. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** What an incoming X-Request-Id must look like to be kept: bounded, and safe in logs and headers. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

interface RequestScope {
  requestId: string;
}

const scopes = new AsyncLocalStorage<RequestScope>();

/**
 * The id a request goes by: the client's X-Request-Id when it is valid (at
 * most 128 characters of `[A-Za-z0-9._-]`), else a fresh UUID. An invalid
 * one is replaced rather than refused: a request id is for tracing, and a
 * tracing header from some proxy must never make a send fail.
 */
export function acceptedRequestId(header: unknown): string {
  return typeof header === 'string' && REQUEST_ID_PATTERN.test(header) ? header : randomUUID();
}

/** Runs `work` as part of the request `requestId`: log lines, log rows and queue jobs made inside carry it. */
export function runWithRequestId<T>(requestId: string, work: () => T): T {
  return scopes.run({ requestId }, work);
}

/** The id of the request (or queued delivery) being handled, if any. */
export function currentRequestId(): string | undefined {
  return scopes.getStore()?.requestId;
}
