import type { Provider } from '@nestjs/common';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookHealth } from './webhook-health.js';

/**
 * Signed status-change events posted to the user's own receivers (docs/webhooks.md). Always
 * registered; idle without the `webhooks` option (health then leaves the field out).
 */
export const statusWebhookProviders: Provider[] = [WebhookHealth, WebhookDispatcher];
