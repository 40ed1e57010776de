import type { Provider, Type } from '@nestjs/common';
import { TwilioStatusController } from './twilio-status.controller.js';
import { TwilioSignatureGuard } from './twilio-signature.guard.js';
import { WebhookBodyParsing } from './webhook-body-parsing.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookHealth } from './webhook-health.js';
import { WebhookThrottlerGuard } from './webhook-throttler.guard.js';

/**
 * This folder holds both directions of webhooks: the routes providers call us
 * on (twilio-*, webhook-body-parsing, webhook-form, webhook-route,
 * webhook-throttler.guard) and the signed status-change events we post to the
 * user's receivers (webhook-dispatcher, -sender, -queue, -event, -target, -health).
 */

/** Outbound status-change webhooks: always registered; idle without the `webhooks` option (health then leaves the field out). */
export const webhooksProviders: Provider[] = [WebhookHealth, WebhookDispatcher];

/** Provider webhook routes (Twilio), registered with the module's other controllers. */
export const webhookControllers: Type<unknown>[] = [TwilioStatusController];

/** What the provider webhook routes need: the form body hooks and their two guards. Only while controllers are on. */
export const webhookProviders: Provider[] = [WebhookBodyParsing, TwilioSignatureGuard, WebhookThrottlerGuard];
