import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { MessagingAuthGuard } from '../auth/messaging-auth.guard.js';
import type { AuthenticatedClient } from '../auth/authenticated-client.js';
import { isAdmin, MessagingScope } from '../common/scopes.js';
import { ForbiddenError, UnauthorizedError } from '../errors/messaging.errors.js';
import { MESSAGING_OPTIONS } from '../messaging.module-definition.js';
import type { MessagingModuleOptions } from '../messaging-options.interface.js';

interface ScrapeRequest {
  user?: AuthenticatedClient;
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
 * content nor the length leaks); else an API token (checked by the module's own auth guard) that
 * carries `messaging:admin` explicitly. A valid API token without it: 403 FORBIDDEN; no bearer, or
 * one that is neither: 401.
 */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  private readonly expected: Buffer | undefined;

  constructor(
    @Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions,
    private readonly auth: MessagingAuthGuard,
  ) {
    const token = options.metrics?.token;
    this.expected = token === undefined ? undefined : digest(token);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ScrapeRequest>();
    const address = (request.raw ?? request).socket?.remoteAddress;
    if (isLoopback(address)) return true;
    const header = request.headers['authorization'];
    const given = typeof header === 'string' ? /^Bearer ([^\s]+)$/i.exec(header)?.[1] : undefined;
    if (given === undefined) throw new UnauthorizedError('Missing metrics token or admin bearer token');
    if (this.expected && timingSafeEqual(digest(given), this.expected)) return true;
    await this.auth.canActivate(context); // 401 for anything that is not a valid API token either
    // An admin scrape needs the scope itself: a token without scope claims is never admin.
    if (!isAdmin(request.user)) throw new ForbiddenError(MessagingScope.ADMIN);
    return true;
  }
}
