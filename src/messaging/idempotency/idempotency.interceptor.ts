import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { defer, lastValueFrom, type Observable } from 'rxjs';
import type { AuthenticatedClient } from '../auth/authenticated-client.js';
import { requestFingerprint } from './fingerprint.js';
import { IDEMPOTENT_REPLAYED_HEADER, idempotencyRecordId, readIdempotencyKey } from './idempotency-key.js';
import { keepsAnswer, REPLAYED_RESPONSE_HEADERS, replayedBody, storedAnswer, storedFailure } from './idempotency-outcome.js';
import type { StoredResponse } from './idempotency-record.schema.js';
import { IdempotencyStore } from './idempotency.store.js';
import { trackSendAttempt, type SendAttempt } from '../common/send-attempt.js';

/** The request as Fastify (or Express) gives it to Nest; only what this interceptor reads. */
interface IdempotentRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  user?: AuthenticatedClient;
  /** Fastify: the Node request; Express: absent (the request is the Node one). */
  raw?: { rawHeaders: string[] };
  rawHeaders?: string[];
  /** Fastify's matched route. */
  routeOptions?: { url?: string };
  /** Express's matched route. */
  route?: { path?: string };
}

/** Fastify's reply and Express's response both have these. */
interface ReplyLike {
  statusCode: number;
  status(code: number): unknown;
  header(name: string, value: string): unknown;
  getHeader(name: string): unknown;
}

/** Keys of requests without a token subject (a host guard that sets none) share one scope, as `requestedBy` does. */
const ANONYMOUS_SUBJECT = 'anonymous';

/**
 * `Idempotency-Key` on the send routes. Nest runs guards before
 * interceptors, so by now the caller is authenticated (its tenant and
 * subject scope the key) and within its rate limit (a throttled request never touches the
 * store), and the body is not validated yet: the key is claimed first, then
 * the handler runs, then its outcome is stored (replayed to every later
 * request with the key) or the key is released (the request sent nothing).
 * Without the header, the request goes through untouched.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly store: IdempotencyStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<IdempotentRequest>();
    const key = readIdempotencyKey({ headers: request.headers, rawHeaders: request.raw?.rawHeaders ?? request.rawHeaders });
    if (key === undefined) return next.handle();
    // A promise, not the handler's stream: once claimed, the outcome is recorded even if the client hangs up.
    return defer(() => this.handle(request, http.getResponse<ReplyLike>(), key, next));
  }

  private async handle(request: IdempotentRequest, reply: ReplyLike, key: string, next: CallHandler): Promise<unknown> {
    const subject = request.user?.subject ?? ANONYMOUS_SUBJECT;
    const id = idempotencyRecordId(subject, key, request.user?.tenant ?? subject);
    const fingerprint = requestFingerprint(request.method, routePathOf(request), request.body);
    const claim = await this.store.claim(id, fingerprint);
    if (claim.kind === 'replay') return replay(reply, claim.response);

    const attempt: SendAttempt = { providerCalled: false };
    let value: unknown;
    try {
      value = await trackSendAttempt(attempt, () => lastValueFrom(next.handle(), { defaultValue: undefined }));
    } catch (error) {
      const kept = storedFailure(error, attempt.providerCalled);
      // Recorded before the answer leaves, so a client retrying right after it gets the replay.
      await (kept ? this.store.complete(claim.record, kept) : this.store.release(claim.record));
      throw error;
    }
    const status = reply.statusCode;
    if (keepsAnswer(status, attempt.providerCalled)) {
      await this.store.complete(claim.record, storedAnswer(status, value, answerHeaders(reply)));
    } else {
      await this.store.release(claim.record);
    }
    return value;
  }
}

/** Sends the stored answer again: its status, body and answer headers, marked as a replay. */
function replay(reply: ReplyLike, response: StoredResponse): unknown {
  reply.status(response.status);
  for (const [name, value] of Object.entries(response.headers ?? {})) reply.header(name, value);
  reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  return replayedBody(response);
}

function answerHeaders(reply: ReplyLike): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_RESPONSE_HEADERS) {
    const value = reply.getHeader(name);
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

/** The matched route pattern (stable whatever the query string), else the path as requested. */
function routePathOf(request: IdempotentRequest): string {
  return request.routeOptions?.url ?? request.route?.path ?? request.url.split('?')[0] ?? request.url;
}
