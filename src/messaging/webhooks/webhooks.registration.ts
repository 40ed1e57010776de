import type { Provider } from '@nestjs/common';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookHealth } from './webhook-health.js';

/** Always registered; idle without the `webhooks` option (health then leaves the field out). */
export const webhooksProviders: Provider[] = [WebhookHealth, WebhookDispatcher];
