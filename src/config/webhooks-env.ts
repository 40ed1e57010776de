import { DEFAULT_WEBHOOK_BACKOFF_MS, MAX_WEBHOOK_BACKOFF_MS, type WebhookOptions } from '../messaging/messaging-options.interface.js';
import { isWebhookSecret, isWebhookUrl, WEBHOOK_SECRET_RULE, WEBHOOK_URL_RULE } from '../messaging/status-webhooks/webhook-target.js';
import { ConfigError } from './config-error.js';

/**
 * WEBHOOK_URLS (comma-separated), WEBHOOK_SECRET and the test-only
 * WEBHOOK_BACKOFF_MS as the `webhooks` option; undefined when neither URLs
 * nor secret are set. Values are never echoed: a URL may hold credentials.
 */
export function webhooksFromEnv(read: (name: string) => string | undefined): WebhookOptions | undefined {
  const list = read('WEBHOOK_URLS');
  const secret = read('WEBHOOK_SECRET');
  if (list === undefined && secret === undefined) return undefined;
  if (list === undefined) throw new ConfigError('WEBHOOK_URLS', 'is required when WEBHOOK_SECRET is set');
  if (secret === undefined) throw new ConfigError('WEBHOOK_SECRET', 'is required when WEBHOOK_URLS is set');
  const urls = list.split(',').map((url) => url.trim());
  const bad = urls.findIndex((url) => !isWebhookUrl(url));
  if (bad >= 0) throw new ConfigError('WEBHOOK_URLS', `entry ${bad + 1} ${WEBHOOK_URL_RULE}`);
  if (!isWebhookSecret(secret)) throw new ConfigError('WEBHOOK_SECRET', WEBHOOK_SECRET_RULE);
  return { urls, secret, backoffMs: backoffMs(read('WEBHOOK_BACKOFF_MS')) };
}

function backoffMs(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_WEBHOOK_BACKOFF_MS;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > MAX_WEBHOOK_BACKOFF_MS) {
    throw new ConfigError('WEBHOOK_BACKOFF_MS', `must be an integer from 1 to ${MAX_WEBHOOK_BACKOFF_MS} (got "${raw}")`);
  }
  return value;
}
