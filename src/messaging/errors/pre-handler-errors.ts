import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MessagingExceptionFilter } from './messaging-exception.filter.js';
import { RateLimitedError } from './messaging.errors.js';

/**
 * Fastify route config (`@RouteConfig()` of @nestjs/platform-fastify, whose
 * metadata key this is) that marks the module's own routes, so the hooks
 * below can tell them from the host's. Set by MessagingController.
 */
export const FASTIFY_ROUTE_CONFIG_METADATA = '__fastify_route_config__';
export const MESSAGING_ROUTE_CONFIG = { fluxkitMessagingRoute: true } as const;

const PRE_HANDLER_ERROR = Symbol('fluxkit-messaging.pre-handler-error');
type MarkedRequest = FastifyRequest & { [PRE_HANDLER_ERROR]?: unknown };

/**
 * Errors raised before any of the module's code runs (malformed JSON, an
 * oversized body, a media type Fastify cannot parse) go to the host app's
 * error handling: its global filter, or Nest's default shape. On the
 * module's routes they must answer in the module's envelope like every other
 * error, so two root hooks, inert on the host's routes, put it back: onError
 * (which Fastify runs before the error handler, with the original error)
 * remembers the error, and onSend replaces whatever the host's handling
 * answered with the envelope MessagingExceptionFilter gives that error.
 * Errors raised inside the module's guards, pipes and handlers never pass
 * here: the filter bound on its controllers answers them.
 */
@Injectable()
export class PreHandlerErrorEnvelope implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly filter: MessagingExceptionFilter,
  ) {}

  onModuleInit(): void {
    const instance = this.adapterHost.httpAdapter?.getInstance<Partial<FastifyInstance>>();
    // Only Fastify (the adapter the module supports) has these hooks; a standalone context has no adapter.
    if (typeof instance?.addHook !== 'function') return;
    const fastify = instance as FastifyInstance;
    fastify.addHook('onError', (request: MarkedRequest, _reply, error, done) => {
      if (isMessagingRoute(request)) request[PRE_HANDLER_ERROR] = error;
      done();
    });
    fastify.addHook('onSend', (request: MarkedRequest, reply: FastifyReply, payload, done) => {
      if (!(PRE_HANDLER_ERROR in request)) return done(null, payload);
      const error = this.filter.toMessagingError(request[PRE_HANDLER_ERROR]);
      delete request[PRE_HANDLER_ERROR];
      if (error instanceof RateLimitedError) void reply.header('Retry-After', String(error.retryAfterSeconds));
      void reply.code(error.status).header('content-type', 'application/json; charset=utf-8');
      done(null, JSON.stringify(error.toEnvelope()));
    });
  }
}

function isMessagingRoute(request: FastifyRequest): boolean {
  const config = request.routeOptions.config as Partial<typeof MESSAGING_ROUTE_CONFIG> | undefined;
  return config?.fluxkitMessagingRoute === true;
}
