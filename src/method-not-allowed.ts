import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MethodNotAllowedError } from './messaging/errors/messaging.errors.js';

/** A registered path, as a pattern over request paths, and the methods it answers. */
interface KnownPath {
  pattern: RegExp;
  methods: Set<string>;
}

/**
 * 405 METHOD_NOT_ALLOWED with an `Allow` header (RFC 9110 §15.5.5) when a path
 * the app serves is asked with a method it does not have, e.g. `PUT
 * /messaging/sms`. Fastify routes by method and path together, so such a
 * request would otherwise reach the not-found handler and answer 404, which
 * tells a client the resource does not exist.
 *
 * Call before the routes are registered (before `listen`/`init` and the
 * Swagger setup): the `onRoute` hook only sees routes added after it.
 */
export function registerMethodNotAllowed(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const known = new Map<string, KnownPath>();
  fastify.addHook('onRoute', (route) => {
    // Wildcards are the Swagger UI's static folder, where only the UI's own files exist (openapi.ts
    // answers 404 for the rest): a 405 there would claim files that are not served.
    if (route.url.includes('*')) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const entry = known.get(route.url) ?? { pattern: pathPattern(route.url), methods: new Set<string>() };
    for (const method of methods) entry.methods.add(method.toUpperCase());
    // Fastify answers HEAD for every GET route (exposeHeadRoutes), whether or not onRoute reports it.
    if (entry.methods.has('GET')) entry.methods.add('HEAD');
    known.set(route.url, entry);
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) return done();
    const path = request.url.split('?')[0] ?? '';
    const allowed = new Set<string>();
    for (const entry of known.values()) {
      if (entry.pattern.test(path)) for (const method of entry.methods) allowed.add(method);
    }
    if (allowed.size === 0 || allowed.has(request.method)) return done();
    const error = new MethodNotAllowedError(request.method, [...allowed].sort());
    void reply.status(error.status).header('Allow', error.allowed.join(', ')).send(error.toEnvelope());
  });
}

/** `/messaging/logs/:id` -> /^\/messaging\/logs\/[^/]+$/ */
function pathPattern(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}$`);
}
