import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ConnectionError, FastifyError, FastifyReply } from 'fastify';
import { ErrorCode } from './messaging/errors/error-codes.js';
import { InternalError, MessagingError, NotFoundError, PayloadTooLargeError } from './messaging/errors/messaging.errors.js';
import { securityHeaders } from './security-headers.js';
import { REQUEST_ID_HEADER } from './messaging/common/request-id.js';

/**
 * Answers that are decided before Nest (and its exception filter) sees the
 * request, in the same envelope and with the same security headers as every
 * other answer, and without echoing what was refused (a 20 KB header, a
 * long path): Node's HTTP parser ('clientError': oversized headers, broken
 * chunking, Content-Length with Transfer-Encoding, a request that took too
 * long) and Fastify's router (an over-long or undecodable path parameter).
 */

/** What each of Node's refusals answers; anything else the parser refuses is a 400. */
function fromClientError(code: string): MessagingError {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new MessagingError(ErrorCode.HEADERS_TOO_LARGE, 'Request line and headers are too large');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new MessagingError(ErrorCode.REQUEST_TIMEOUT, 'The request took too long to arrive');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new PayloadTooLargeError();
    default:
      return new MessagingError(ErrorCode.BAD_REQUEST, 'Malformed HTTP request');
  }
}

/** What each of Fastify's router refusals answers. */
function fromFrameworkError(code: string): MessagingError {
  switch (code) {
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new MessagingError(ErrorCode.URI_TOO_LONG, 'A path parameter is too long');
    case 'FST_ERR_BAD_URL':
      return new MessagingError(ErrorCode.BAD_REQUEST, 'Malformed URL');
    default:
      return new InternalError();
  }
}

/** A whole HTTP/1.1 answer, for a connection that is closed right after it. */
export function rawErrorResponse(error: MessagingError): string {
  const body = JSON.stringify(error.toEnvelope());
  const headers: Record<string, string | number> = {
    ...securityHeaders(),
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}\r\n${lines.join('')}\r\n${body}`;
}

/**
 * Whether the answer to the request in progress on `socket` has begun. Node's
 * own handler checks the same (`_httpMessage`, the response it is writing),
 * since a second status line in the middle of an answer would corrupt it.
 */
function answerStarted(socket: Socket): boolean {
  const current = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  return current?.headersSent === true;
}

/** Fastify's `clientErrorHandler`: Node's refusals in the envelope, then the connection closes. */
export function answerClientError(error: ConnectionError, socket: Socket): void {
  // A reset connection has no one left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable && !answerStarted(socket)) socket.write(rawErrorResponse(fromClientError(error.code)));
  socket.destroy();
}

/**
 * Node answers an `Expect` header other than `100-continue` with a bare 417
 * itself, unless the server listens to 'checkExpectation'; the request never
 * reaches Fastify.
 */
export function answerUnmetExpectations(server: Server): void {
  server.on('checkExpectation', (_request: IncomingMessage, response: ServerResponse) => {
    const error = new MessagingError(ErrorCode.EXPECTATION_FAILED, 'Only "Expect: 100-continue" is supported');
    const body = JSON.stringify(error.toEnvelope());
    response.writeHead(error.status, {
      ...securityHeaders(),
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    });
    response.end(body);
  });
}

/** Sends `error` in the envelope with the security headers (no hook runs for the router's refusals). */
function sendEnvelope(reply: FastifyReply, error: MessagingError): void {
  void reply
    .code(error.status)
    .headers(securityHeaders())
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(error.toEnvelope()));
}

/** Fastify's `frameworkErrors`: the router's refusals, which no hook or filter sees. */
export function answerFrameworkError(error: FastifyError, request: { id?: string }, reply: FastifyReply): void {
  // No hook ran, so the request id (Fastify's genReqId) is echoed here.
  if (request.id) void reply.header(REQUEST_ID_HEADER, request.id);
  sendEnvelope(reply, fromFrameworkError(error.code));
}

/** A `.` or `..` path segment, also percent-encoded (`%2e`, `%2E%2e`). */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * Whether the path has a `.` or `..` segment. Clients resolve them before
 * sending; a raw one is a traversal attempt. The router does not resolve
 * them either, so `/messaging/logs/..` reached the logs route as an id (401
 * without a token, 400 with one) and `/messaging/docs/../logs` the static
 * files (403, mapped to 401): they are all 404, whatever the token.
 */
export function hasDotSegment(url: string): boolean {
  const path = url.split('?', 1)[0] ?? '';
  return path.split('/').some((segment) => DOT_SEGMENT.test(segment));
}

/** The Fastify options that keep Node's and the router's refusals in the envelope. */
export const preRoutingErrorOptions = {
  clientErrorHandler: answerClientError,
  frameworkErrors: answerFrameworkError,
};

/**
 * Answers paths with dot segments 404 before any guard runs. Registered after
 * helmet: the error goes through Nest's exception layer, like any other.
 */
export function refuseDotSegments(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, _reply, done) => {
      done(hasDotSegment(request.url) ? new NotFoundError('Route not found') : undefined);
    });
}
