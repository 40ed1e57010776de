import { isUtf8 } from 'node:buffer';
import type { IncomingHttpHeaders } from 'node:http';
import { MessagingError, UnsupportedMediaTypeError, ValidationError } from '../errors/messaging.errors.js';
import { isBatchRoute } from '../common/batch-limits.js';
import { scanJsonText, type JsonScanLimits, type JsonScanProblem } from './json-scan.js';

/**
 * The request bodies the API reads: `application/json`, UTF-8 (declared so
 * or not declared), without a Content-Encoding, each key once. Anything else
 * would be read as something other than what the client meant: Fastify
 * decodes every body as UTF-8 whatever the declared charset (replacing bad
 * bytes with U+FFFD), ignores Content-Encoding, and JSON.parse keeps the last
 * of two equal keys. Form and text bodies are not JSON at all.
 */

/** Why these headers announce a body the API does not read, or undefined. Header checks only. */
export function jsonBodyHeadersProblem(headers: IncomingHttpHeaders): MessagingError | undefined {
  const [mediaType = '', ...parameters] = (headers['content-type'] ?? '').split(';');
  if (mediaType.trim().toLowerCase() !== 'application/json') return new UnsupportedMediaTypeError();
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=');
    const charset = value.trim().replace(/^"(.*)"$/, '$1');
    if (name.trim().toLowerCase() === 'charset' && charset.toLowerCase() !== 'utf-8') {
      return new UnsupportedMediaTypeError(`Unsupported charset "${charset.slice(0, 40)}": send JSON as UTF-8`);
    }
  }
  const encoding = headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    return new UnsupportedMediaTypeError(
      `Content-Encoding "${encoding.slice(0, 40)}" is not supported: send the body uncompressed`,
    );
  }
  return undefined;
}

/** Parses a JSON body's bytes, refusing what the API does not read (see above). Throws MessagingError. */
export function parseJsonBody(bytes: Buffer, limits: JsonScanLimits = {}): unknown {
  if (!isUtf8(bytes)) throw new ValidationError('Request body is not valid UTF-8');
  // RFC 8259 lets a parser ignore a byte order mark; JSON.parse would not.
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new ValidationError('Request body is empty');
  const problem = scanJsonText(text, limits);
  if (problem) throw scanError(problem);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError('Request body is not valid JSON');
  }
}

function scanError(problem: JsonScanProblem): ValidationError {
  switch (problem.kind) {
    case 'duplicate-key':
      return ValidationError.listing('Request body has a key twice', [
        { field: problem.path, errors: ['appears more than once'] },
      ]);
    case 'forbidden-key':
      return new ValidationError(`Request contains the forbidden key "${problem.key}"`);
    case 'too-deep':
      return new ValidationError(`Request is nested more than ${problem.maxDepth} levels deep`);
    case 'too-many-entries':
      return new ValidationError(
        `Request has more than ${problem.maxEntries} keys and list items (all objects and lists together)`,
      );
  }
}

type ParserDone = (error: Error | null, body?: unknown) => void;

/**
 * A Fastify content-type parser for `application/json` (register it with
 * `parseAs: 'buffer'`) applying jsonBodyHeadersProblem and parseJsonBody.
 * `batchLimits` apply on the batch routes instead of `limits`.
 * Its errors are MessagingErrors carrying `statusCode` as well, so Fastify or
 * a host's exception filter answers 400/415 even without the module's filter.
 */
export function createJsonBodyParser(limits: JsonScanLimits = {}, batchLimits: JsonScanLimits = limits) {
  return (request: { headers: IncomingHttpHeaders; routeOptions?: { config?: unknown } }, body: Buffer, done: ParserDone): void => {
    const headersProblem = jsonBodyHeadersProblem(request.headers);
    if (headersProblem) return done(withStatusCode(headersProblem));
    try {
      // A batch route (common/batch-limits.ts) holds up to 1,000 messages: its own, larger limits.
      done(null, parseJsonBody(body, isBatchRoute(request.routeOptions?.config) ? batchLimits : limits));
    } catch (error) {
      done(error instanceof MessagingError ? withStatusCode(error) : (error as Error));
    }
  };
}

function withStatusCode(error: MessagingError): MessagingError & { statusCode: number } {
  return Object.assign(error, { statusCode: error.status });
}
