import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  InternalError,
  MessagingError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './messaging.errors.js';
import { redactSecrets } from '../common/redact.js';

/**
 * Turns every error into the envelope `{"error":{"code","message","details"?}}`.
 * Bound with @UseFilters on the module's own controllers (never globally), and
 * registered globally only by the standalone app, where it also covers
 * malformed JSON, oversized bodies and unknown routes.
 */
@Catch()
export class MessagingExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Messaging');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const error = this.toMessagingError(exception);
    if (error instanceof RateLimitedError) {
      void reply.header('Retry-After', String(error.retryAfterSeconds));
    }
    void reply.status(error.status).send(error.toEnvelope());
  }

  /** Also used for errors raised before the module's handlers run (pre-handler-errors.ts). */
  toMessagingError(exception: unknown): MessagingError {
    if (exception instanceof MessagingError) return exception;
    const status = httpStatusOf(exception);
    const mapped = status === undefined ? undefined : fromHttpStatus(status, exception);
    if (mapped) return mapped;
    // Unknown: log it for operators, answer without internals.
    const stack = exception instanceof Error ? exception.stack : String(exception);
    this.logger.error(`Unhandled error: ${redactSecrets(stack ?? 'unknown')}`);
    return new InternalError();
  }
}

function httpStatusOf(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  if (typeof exception === 'object' && exception !== null && 'statusCode' in exception) {
    const status = exception.statusCode;
    return typeof status === 'number' ? status : undefined;
  }
  return undefined;
}

/** Framework and Fastify errors that reach us with an HTTP status (4xx only). */
function fromHttpStatus(status: number, exception: unknown): MessagingError | undefined {
  switch (status) {
    case 400:
      return new ValidationError(describeBadRequest(exception));
    case 401:
    case 403:
      return new UnauthorizedError();
    case 404:
      return new NotFoundError('Route not found');
    case 413:
      return new PayloadTooLargeError();
    case 415:
      return new UnsupportedMediaTypeError();
    case 429:
      return new RateLimitedError(1);
    default:
      return undefined;
  }
}

function describeBadRequest(exception: unknown): string {
  const cause = exception instanceof HttpException ? exception.cause : exception;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? cause.code : undefined;
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || cause instanceof SyntaxError) {
    return 'Request body is not valid JSON';
  }
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'Request body is empty';
  return 'Bad request';
}
