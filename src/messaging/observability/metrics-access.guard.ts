import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ForbiddenError, UnauthorizedError } from '../errors/messaging.errors.js';
import { MESSAGING_OPTIONS } from '../messaging.module-definition.js';
import type { MessagingModuleOptions } from '../messaging-options.interface.js';

interface ScrapeRequest {
  headers: Record<string, string | string[] | undefined>;
  /** Fastify's request wraps Node's; Express' is Node's. */
  raw?: { socket?: { remoteAddress?: string } };
  socket?: { remoteAddress?: string };
}

/** 127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6 (a dual-stack listener reports those). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const ipv4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(ipv4) === 4) return ipv4.startsWith('127.');
  return address === '::1';
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Who may scrape GET <prefix>/metrics: anyone on loopback (a sidecar, a local agent), judged by the
 * socket's own remote address, never by X-Forwarded-For (any client can send that); else a bearer
 * token equal to `metrics.token`, compared in constant time (hashes of equal length, so neither the
 * content nor the length leaks). No token configured: 403 FORBIDDEN; a wrong or missing one: 401.
 */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  private readonly expected: Buffer | undefined;

  constructor(@Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions) {
    const token = options.metrics?.token;
    this.expected = token === undefined ? undefined : digest(token);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<ScrapeRequest>();
    const address = (request.raw ?? request).socket?.remoteAddress;
    if (isLoopback(address)) return true;
    if (!this.expected) throw new ForbiddenError('Metrics are served on loopback only (no metrics token is configured)');
    const header = request.headers['authorization'];
    const given = typeof header === 'string' ? /^Bearer ([^\s]+)$/i.exec(header)?.[1] : undefined;
    if (given === undefined || !timingSafeEqual(digest(given), this.expected)) {
      throw new UnauthorizedError('Missing or invalid metrics token');
    }
    return true;
  }
}
