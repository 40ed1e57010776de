import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { isBatchRoute, MAX_BATCH_INPUT_ENTRIES } from '../common/batch-limits.js';
import { inputShapeProblem, MAX_INPUT_DEPTH } from '../errors/input-shape.js';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '../errors/pre-handler-errors.js';
import { ValidationError } from '../errors/messaging.errors.js';
import { jsonBodyHeadersProblem } from './json-body.js';

/**
 * On the module's routes: a request that carries a body must carry JSON
 * (jsonBodyHeadersProblem), else 415 UNSUPPORTED_MEDIA_TYPE. The standalone
 * app's parser already refuses such bodies; in a host app the body was
 * parsed by the host's parsers (Nest's form parser, Fastify's text/plain
 * one), which would otherwise hand a form or a string to the validation
 * pipe. Runs first, before authentication, as a parser would.
 *
 * It also applies the structural limits of input-shape.ts to the body: a
 * guard runs before every pipe, so a host's global ValidationPipe (which
 * runs before the module's own) never hands class-transformer a body whose
 * keys cost it quadratic time.
 */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const { headers, body } = context.switchToHttp().getRequest<{ headers: IncomingHttpHeaders; body?: unknown }>();
    if (!hasBody(headers)) return true;
    const problem = jsonBodyHeadersProblem(headers);
    if (problem) throw problem;
    // A batch's messages are each checked against the single route's limits when the batch is read.
    const batch = isBatchRoute(Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, context.getHandler()));
    const shape = batch ? inputShapeProblem(body, MAX_INPUT_DEPTH, MAX_BATCH_INPUT_ENTRIES) : inputShapeProblem(body);
    if (shape) throw new ValidationError(shape);
    return true;
  }
}

/** RFC 9112 §6.3: a request has a body when it says how long it is, or that it is chunked. */
function hasBody(headers: IncomingHttpHeaders): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length.trim() !== '0';
}
