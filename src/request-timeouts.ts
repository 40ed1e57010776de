import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * How long a client may take to send one request.
 *
 * Node's `server.requestTimeout` (Fastify's `requestTimeout` option) runs
 * from the first byte of a request until its last one has arrived, headers
 * and body: once the body is in, the timer stops, so a send that takes
 * longer than the timeout (a slow SMTP relay, Twilio retries) is never cut.
 * Fastify's `handlerTimeout`, which would bound the handling itself, is left
 * off on purpose: a send cut half-way has an unknown outcome.
 *
 * Node checks the deadlines every `connectionsCheckingInterval` (30 s by
 * default, which let its 60 s header limit run to 73 s); once a second keeps
 * the cut within a second of the deadline. An expired request reaches the
 * server's 'clientError' event with ERR_HTTP_REQUEST_TIMEOUT (408, see
 * pre-routing-errors.ts).
 */
export const REQUEST_CHECK_INTERVAL_MS = 1_000;

export interface RequestTimeoutOptions {
  requestTimeout: number;
  http: { requestTimeout: number; connectionsCheckingInterval: number };
}

/**
 * The Fastify options that bound each request to `requestTimeoutMs`. The
 * timeout goes to Node's server constructor too (`http`), which derives
 * `headersTimeout` from it: Fastify sets `requestTimeout` only after
 * construction, leaving `headersTimeout` at 60 s, and with a header limit
 * above the request limit Node never times out a body (seen on Node 20: a
 * body dripping in a byte every 200 ms stayed open past 4x the timeout).
 */
export function requestTimeoutOptions(requestTimeoutMs: number): RequestTimeoutOptions {
  return {
    requestTimeout: requestTimeoutMs,
    http: { requestTimeout: requestTimeoutMs, connectionsCheckingInterval: REQUEST_CHECK_INTERVAL_MS },
  };
}

/** The error Node reports for an expired request; handled like Node's own (see pre-routing-errors.ts). */
function requestTimeoutError(): Error {
  return Object.assign(new Error('Request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' });
}

/**
 * Node stops checking request deadlines as soon as `server.close()` runs,
 * so during a graceful shutdown a client dripping its request in would hold
 * the process until the shutdown deadline. Call this when the server starts
 * listening; the returned function, called when a shutdown begins, gives
 * every request still arriving at most the request timeout more, then
 * answers it 408 and closes its connection. Requests whose body has arrived
 * are being handled and are left to finish.
 */
export function trackUnfinishedRequests(server: Server): () => () => void {
  const sockets = new Set<Socket>();
  /** The request each connection is answering, from its headers until its response closes. */
  const answering = new WeakMap<Socket, IncomingMessage>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    answering.set(request.socket, request);
    response.once('close', () => {
      if (answering.get(request.socket) === request) answering.delete(request.socket);
    });
  });
  return () => {
    if (server.requestTimeout <= 0) return () => undefined;
    const timer = setTimeout(() => {
      for (const socket of sockets) {
        // A connection between requests or mid-headers has no request being answered.
        if (answering.get(socket)?.complete === true) continue;
        server.emit('clientError', requestTimeoutError(), socket);
      }
    }, server.requestTimeout);
    timer.unref();
    return () => clearTimeout(timer);
  };
}
