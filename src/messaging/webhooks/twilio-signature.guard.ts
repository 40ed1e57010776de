import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import twilio from 'twilio';
import { InvalidSignatureError } from '../errors/messaging.errors.js';
import { MESSAGING_OPTIONS } from '../messaging.module-definition.js';
import type { MessagingModuleOptions } from '../messaging-options.interface.js';
import { normalisePublicBaseUrl, publicUrlOf } from '../common/public-base-url.js';
import { asWebhookForm, type WebhookForm } from './webhook-form.js';

/** What a handler behind TwilioSignatureGuard receives (`@TwilioWebhook()`): the checked request. */
export interface TwilioWebhookRequest {
  /** The form parameters exactly as Twilio sent them (MessageSid, MessageStatus, ErrorCode, From, Body...). */
  form: WebhookForm;
  /** The account that signed it: the primary's or a failover account's SID. */
  accountSid: string;
  /** The URL the signature was checked against. */
  url: string;
}

export const TWILIO_WEBHOOK_REQUEST = Symbol('fluxkit-messaging.twilio-webhook');
export type SignedRequest = FastifyRequest & { [TWILIO_WEBHOOK_REQUEST]?: TwilioWebhookRequest };

/**
 * Authenticity of a Twilio webhook, checked with the twilio SDK's own
 * `validateRequest` (HMAC-SHA1 over the URL and the sorted form parameters)
 * against:
 * - the URL built from `publicBaseUrl` and the route's path, never from
 *   `Host` or `X-Forwarded-*` (a client controls those);
 * - the form parameters as sent (not a validated DTO);
 * - the auth token of the account named by `AccountSid`, the primary or a
 *   failover account (several entries may share a SID: any of their tokens).
 *
 * Anything else answers 403 INVALID_SIGNATURE and logs one warning naming
 * the route, the source address and the reason, never the body. Without
 * `publicBaseUrl` nothing can be checked, so every request is refused.
 */
@Injectable()
export class TwilioSignatureGuard implements CanActivate {
  private readonly logger = new Logger('TwilioWebhooks');
  private readonly baseUrl: string | undefined;
  private readonly tokensBySid = new Map<string, string[]>();

  constructor(@Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions) {
    this.baseUrl = options.publicBaseUrl === undefined ? undefined : normalisePublicBaseUrl(options.publicBaseUrl);
    const accounts = options.twilio ? [options.twilio, ...(options.twilioFailover ?? [])] : [];
    for (const { accountSid, authToken } of accounts) {
      this.tokensBySid.set(accountSid, [...(this.tokensBySid.get(accountSid) ?? []), authToken]);
    }
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<SignedRequest>();
    const checked = this.check(request);
    if (typeof checked === 'string') {
      this.logger.warn(`Refused a Twilio webhook to ${request.routeOptions.url ?? 'unknown route'} from ${request.ip}: ${checked}`);
      throw new InvalidSignatureError();
    }
    request[TWILIO_WEBHOOK_REQUEST] = checked;
    return true;
  }

  /** The checked request, or why it is refused. */
  private check(request: FastifyRequest): TwilioWebhookRequest | string {
    if (this.baseUrl === undefined) return 'PUBLIC_BASE_URL (publicBaseUrl) is not set, so no signature can be checked';
    const signature = request.headers['x-twilio-signature'];
    if (typeof signature !== 'string' || signature === '') return 'no X-Twilio-Signature header';
    const form = asWebhookForm(request.body);
    if (!form) return 'the body is not a form';
    const accountSid = form['AccountSid'];
    const tokens = typeof accountSid === 'string' ? this.tokensBySid.get(accountSid) : undefined;
    if (typeof accountSid !== 'string' || !tokens) return 'AccountSid is not a configured Twilio account';
    const url = publicUrlOf(this.baseUrl, request.routeOptions.url ?? '');
    const valid = tokens.some((token) => twilio.validateRequest(token, signature, url, form));
    return valid ? { form, accountSid, url } : 'the signature does not match';
  }
}
