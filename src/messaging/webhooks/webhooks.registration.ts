import type { Provider, Type } from '@nestjs/common';
import { TwilioStatusController } from './twilio-status.controller.js';
import { TwilioSignatureGuard } from './twilio-signature.guard.js';
import { WebhookBodyParsing } from './webhook-body-parsing.js';
import { WebhookThrottlerGuard } from './webhook-throttler.guard.js';

/**
 * The routes providers call us on (Twilio's signed, form-encoded callbacks).
 * The events we post to the user's own receivers live in status-webhooks/.
 */

/** Provider webhook routes (Twilio), registered with the module's other controllers. */
export const webhookControllers: Type<unknown>[] = [TwilioStatusController];

/** What the provider webhook routes need: the form body hooks and their two guards. Only while controllers are on. */
export const webhookProviders: Provider[] = [WebhookBodyParsing, TwilioSignatureGuard, WebhookThrottlerGuard];
