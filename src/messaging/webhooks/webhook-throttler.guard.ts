import { Injectable } from '@nestjs/common';
import { MessagingThrottlerGuard } from '../auth/throttler.guard.js';

/**
 * The webhook routes' own rate limit: the module's throttle numbers
 * (`throttle`, THROTTLE_LIMIT per THROTTLE_TTL_MS), counted per source
 * address and per route apart from the API's budgets. Keyed by address
 * alone, never by a token subject: a webhook carries none, and a host's
 * guard setting `request.user` must not give a forger a fresh budget.
 * Behind a proxy, set Fastify's `trustProxy` so `request.ip` is the caller.
 */
@Injectable()
export class WebhookThrottlerGuard extends MessagingThrottlerGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const ip = typeof req['ip'] === 'string' ? req['ip'] : 'unknown';
    return Promise.resolve(`webhook-ip:${ip}`);
  }
}
