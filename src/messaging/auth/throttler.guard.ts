import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { RateLimitedError } from '../errors/messaging.errors.js';
import { tenantOf, type AuthenticatedClient } from './authenticated-client.js';

interface TrackedRequest {
  ip?: string;
  user?: AuthenticatedClient;
}

/**
 * @nestjs/throttler's guard, keyed by the caller's tenant when the request is
 * authenticated (one budget per tenant, whichever of its clients asks, and
 * clients behind one NAT do not share one; a token without a tenant claim is
 * its own tenant) and by the IP address otherwise. Over the limit it throws RATE_LIMITED; the guard
 * itself sets the Retry-After header.
 */
@Injectable()
export class MessagingThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as TrackedRequest;
    return Promise.resolve(request.user ? `tenant:${tenantOf(request.user)}` : `ip:${request.ip ?? 'unknown'}`);
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new RateLimitedError(Math.max(1, Math.ceil(detail.timeToBlockExpire)));
  }
}
