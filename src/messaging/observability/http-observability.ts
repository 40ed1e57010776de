import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { acceptedRequestId, currentRequestId, REQUEST_ID_HEADER, runWithRequestId } from '../common/request-id.js';
import { MESSAGING_EXTRAS } from '../messaging.module-definition.js';
import type { MessagingModuleExtras } from '../messaging-options.interface.js';
import { ROUTE_PREFIX } from '../messaging.constants.js';
import { MessagingMetrics } from './messaging-metrics.js';

/** Route label of a request no route matched (a 404): one series, whatever the path. */
export const UNMATCHED_ROUTE = 'unmatched';

const requestIds = new WeakMap<object, string>();

/**
 * Gives each request matching `applies` its id (kept from X-Request-Id when valid, else generated; see
 * acceptedRequestId), echoes it in the X-Request-Id response header, and runs the request inside it,
 * so every log line, log row and queue job of that request carries it. The context is entered again
 * before the handler: parsing the body runs in the socket's callbacks, which lose it. A request
 * already inside an id (the standalone app's hook for every route) keeps that one. `idOf` picks the
 * id; the standalone app passes Fastify's `request.id`, made by the same rule in its `genReqId`.
 */
export function installRequestIds(
  fastify: FastifyInstance,
  applies: (url: string) => boolean,
  idOf: (request: FastifyRequest) => string = (request) =>
    currentRequestId() ?? acceptedRequestId(request.headers[REQUEST_ID_HEADER]),
): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!applies(request.url)) return done();
    const id = idOf(request);
    requestIds.set(request, id);
    void reply.header(REQUEST_ID_HEADER, id);
    runWithRequestId(id, done);
  });
  fastify.addHook('preHandler', (request, _reply, done) => {
    const id = requestIds.get(request);
    if (id === undefined) return done();
    runWithRequestId(id, done);
  });
}

/** Times every answered request matching `applies`, by route pattern and status. */
export function installHttpMetrics(fastify: FastifyInstance, metrics: MessagingMetrics, applies: (url: string) => boolean): void {
  if (!metrics.enabled) return;
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    if (applies(request.url)) {
      const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
      metrics.httpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    }
    done();
  });
}

/**
 * Request ids and HTTP metrics for the module's own routes (under its route prefix), when the host
 * runs on Fastify; a host on another adapter gets neither, and its own routes are never touched.
 */
@Injectable()
export class HttpObservability implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: MessagingMetrics,
    @Inject(MESSAGING_EXTRAS) private readonly extras: MessagingModuleExtras,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter as { getType(): string; getInstance(): unknown } | undefined;
    if (adapter?.getType() !== 'fastify') return;
    const fastify = adapter.getInstance() as FastifyInstance;
    const path = (this.extras.routePrefix ?? ROUTE_PREFIX).replace(/^\/+|\/+$/g, '');
    const prefix = `/${path}`;
    const applies = (url: string) =>
      path === '' || url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`);
    installRequestIds(fastify, applies);
    installHttpMetrics(fastify, this.metrics, applies);
  }
}
