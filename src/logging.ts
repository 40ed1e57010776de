import type { LoggerService } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { pino, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';
import type { LogSettings } from './config/environment.js';
import { currentRequestId } from './messaging/common/request-id.js';

/**
 * Fields never written, whatever logs them: credentials (the Authorization header, cookies, tokens,
 * secrets, passwords), message content (body, html, text, template data) and recipient lists. Our
 * own lines carry none of them; this is the net for a framework or a future line that would.
 */
export const REDACTED_PATHS = [
  'authorization', 'cookie', 'token', 'secret', 'password', 'pass', 'apiKey', 'authToken', 'jwtSecret',
  'body', 'html', 'text', 'data', 'to', 'cc', 'bcc', 'recipients', 'mediaUrl',
].flatMap((key) => [key, `*.${key}`, `*.*.${key}`]).concat(['req.headers["set-cookie"]', 'res.headers["set-cookie"]']);

/**
 * The process' pino logger: JSON lines on stdout (production), or pino-pretty's colours when
 * LOG_FORMAT=pretty (`npm start`). pino-pretty is a devDependency, loaded only then, so the
 * production path needs none. Every line made while a request (or a queued delivery) is handled
 * carries its `requestId`, through the async context rather than through each call.
 */
export async function createLogger(settings: LogSettings): Promise<Logger> {
  const destination: DestinationStream | undefined =
    settings.format === 'pretty'
      ? (await import('pino-pretty')).default({ colorize: !process.env['NO_COLOR'], ignore: 'pid,hostname' })
      : undefined;
  const options = {
    level: settings.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    mixin: (line: object, _level: number, logger: Logger) => {
      const requestId = currentRequestId();
      // A line that already names its request (Fastify's request logger, the access line) keeps it.
      if (requestId === undefined || 'requestId' in line || 'requestId' in logger.bindings()) return {};
      return { requestId };
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

type NestLevel = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
const PINO_LEVEL: Record<NestLevel, 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal'> = {
  log: 'info',
  error: 'error',
  warn: 'warn',
  debug: 'debug',
  verbose: 'trace',
  fatal: 'fatal',
};

/**
 * Nest's logger interface onto pino, so `new Logger('DeliveryWorker').warn(...)` everywhere in the
 * code (and Nest's own lines) become JSON lines with `context`. Why this rather than nestjs-pino: it
 * adds pino-http, a second request logger beside Fastify's, and its request context only reaches
 * code run from a request, while ours (common/request-id.ts) also reaches the queue's workers.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Nest passes `(message, ...extra, context)`, and for errors `(message, stack, context)`. */
  private write(level: NestLevel, message: unknown, params: unknown[]): void {
    const rest = [...params];
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const stack = level === 'error' && typeof rest[0] === 'string' ? rest[0] : undefined;
    const fields = { ...(context ? { context } : {}), ...(stack ? { stack } : {}) };
    if (message instanceof Error) this.logger[PINO_LEVEL[level]]({ ...fields, err: message }, message.message);
    else this.logger[PINO_LEVEL[level]](fields, typeof message === 'string' ? message : JSON.stringify(message));
  }
}

/**
 * One line per answered request, after the answer: method, route pattern (never the raw URL, whose
 * path and query may hold an address or a phone number), status and duration.
 */
export function installAccessLog(fastify: FastifyInstance, logger: Logger): void {
  // Without the redaction paths: this line is built here from five fields, none of them a redacted key,
  // and running the 56 wildcard paths over it cost about 50 µs a request, 8 % of the CPU of GET /health
  // (docs/benchmarks.md). Every other line keeps the parent's redaction.
  const access = logger.child({}, { redact: [] });
  fastify.addHook('onResponse', (request, reply, done) => {
    access.info(
      {
        requestId: request.id,
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        statusCode: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request completed',
    );
    done();
  });
}
