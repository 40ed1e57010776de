import type { Provider, Type } from '@nestjs/common';
import { TwilioSignatureGuard } from './twilio-signature.guard.js';
import { WebhookBodyParsing } from './webhook-body-parsing.js';
import { WebhookThrottlerGuard } from './webhook-throttler.guard.js';

/** Provider webhook routes (Twilio), registered with the module's other controllers. */
export const webhookControllers: Type<unknown>[] = [];

/** What the webhook routes need: the form body hooks and their two guards. Only while controllers are on. */
export const webhookProviders: Provider[] = [WebhookBodyParsing, TwilioSignatureGuard, WebhookThrottlerGuard];
