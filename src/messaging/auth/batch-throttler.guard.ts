import { Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { batchMessagesOf, MAX_BATCH_MESSAGES } from '../common/batch-limits.js';
import { RateLimitedError } from '../errors/messaging.errors.js';
import { MESSAGING_OPTIONS } from '../messaging.module-definition.js';
import { incrementTimes } from '../redis/redis-throttler.storage.js';
import type { MessagingModuleOptions } from '../messaging-options.interface.js';
import { MessagingThrottlerGuard } from './throttler.guard.js';

/**
 * The throttler of the batch routes: a batch of n messages counts n hits on
 * the caller's budget of the route (THROTTLE_LIMIT per THROTTLE_TTL_MS, per
 * tenant, as every route counts), so handing messages over in batches does
 * not go around the limit. The n - 1 extra hits go to the same storage under
 * the same key first (incrementTimes: on Redis one script call that counts
 * them all), then the route's own hit runs as on every route: it answers 429
 * with Retry-After when the budget is spent, and sets the X-RateLimit headers.
 * A batch larger than the whole budget is refused at once without spending
 * it, since no wait would let it through.
 * `throttle.countBatchMessages: false` (THROTTLE_COUNT_BATCH_MESSAGES) counts a batch as one request.
 */
@Injectable()
export class BatchThrottlerGuard extends MessagingThrottlerGuard {
  private readonly countsMessages: boolean;

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(MESSAGING_OPTIONS) messaging: MessagingModuleOptions,
  ) {
    super(options, storage, reflector);
    this.countsMessages = messaging.throttle?.countBatchMessages !== false;
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const { context, limit, ttl, blockDuration, throttler, getTracker, generateKey } = request;
    const http = context.switchToHttp();
    const hits = this.countsMessages ? messageCount(http.getRequest<{ body?: unknown }>().body) : 1;
    if (hits > limit) {
      // The exception filter sets Retry-After from it.
      throw new RateLimitedError(Math.max(1, Math.ceil(ttl / 1000)), `A batch of ${hits} messages is more than the ${limit} sends allowed per window`);
    }
    if (hits > 1) {
      const key = generateKey(context, await getTracker(http.getRequest(), context), throttler.name ?? 'default');
      const name = throttler.name ?? 'default';
      await incrementTimes(this.storageService, hits - 1, key, ttl, limit, blockDuration, name);
    }
    return super.handleRequest(request);
  }
}

/** Messages in the body; 1 when it is no batch the route accepts (it answers 400 then, sending nothing). */
function messageCount(body: unknown): number {
  const messages = batchMessagesOf(body);
  return messages === undefined || messages.length === 0 || messages.length > MAX_BATCH_MESSAGES ? 1 : messages.length;
}
