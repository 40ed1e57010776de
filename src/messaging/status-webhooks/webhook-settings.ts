import {
  DEFAULT_WEBHOOK_BACKOFF_MS,
  type MessagingModuleOptions,
  type RedisOptions,
} from '../messaging-options.interface.js';
import { queuePrefixOf } from '../redis/redis-clients.js';

/**
 * Attempts per event and receiver, the first included. With the default
 * backoff (5 s, doubling) the last one is made about 10.6 minutes after the
 * first: 5 + 10 + 20 + 40 + 80 + 160 + 320 s of waiting.
 */
export const WEBHOOK_ATTEMPTS = 8;

/** The wait after failed attempt number `failedAttempts` (1 after the first): BullMQ's `exponential` backoff. */
export function webhookRetryDelayMs(failedAttempts: number, baseMs: number): number {
  return baseMs * 2 ** Math.max(0, failedAttempts - 1);
}

/** The webhooks' configuration with every default applied (present only when `webhooks` is set). */
export interface WebhookSettings {
  urls: readonly string[];
  secret: string;
  backoffMs: number;
  /** Where the BullMQ queue of deliveries lives; undefined: in-process retries. */
  redis?: { target: RedisOptions; prefix: string };
}

export function webhookSettingsOf(options: MessagingModuleOptions): WebhookSettings | undefined {
  const webhooks = options.webhooks;
  if (!webhooks || webhooks.urls.length === 0) return undefined;
  return {
    urls: webhooks.urls,
    secret: webhooks.secret,
    backoffMs: webhooks.backoffMs ?? DEFAULT_WEBHOOK_BACKOFF_MS,
    ...(options.redis ? { redis: { target: options.redis, prefix: queuePrefixOf(options.redis) } } : {}),
  };
}
