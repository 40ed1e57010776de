import { Logger } from '@nestjs/common';
import type { MessageListInstanceCreateOptions } from 'twilio/lib/rest/api/v2010/account/message.js';
import { SendFailedError, type Channel } from '../../errors/messaging.errors.js';
import {
  DEFAULT_TWILIO_MAX_RETRIES,
  DEFAULT_TWILIO_RETRY_BACKOFF_MS,
  DEFAULT_TWILIO_TIMEOUT_MS,
  type TwilioOptions,
} from '../../messaging-options.interface.js';
import type { ProviderReceipt } from '../provider.interface.js';
import { withDeadline } from '../../common/deadline.js';
import { createTwilioClient, type TwilioClient } from './twilio-client.factory.js';
import { classifyTwilioError, TwilioTimeoutError, type TwilioFailure } from './twilio-errors.js';
import { withRetries, type RetryPolicy } from '../../common/retry.js';
import { ProviderSendError } from '../provider-failure.js';
import { twilioFailoverKind } from './twilio-failover.js';

/** Name stored on log rows and shown by health. */
export const TWILIO_PROVIDER_NAME = 'twilio';

/** Parameters of Twilio's Create Message call. */
export type TwilioMessageParams = MessageListInstanceCreateOptions;

/** The channels Twilio serves here. */
export type TwilioChannel = Extract<Channel, 'sms' | 'whatsapp'>;

export interface TwilioGatewaySettings {
  accountSid: string;
  /** Deadline of each call. */
  timeoutMs: number;
  retry: RetryPolicy;
  /** Name on log rows, errors and health: `twilio`, or `twilio-2`... for failover accounts. Default `twilio`. */
  name?: string;
  /** Where Twilio posts the message's status changes (`StatusCallback`); none when receipts are off. */
  statusCallback?: string;
}

/**
 * The one door to Twilio, shared by the SMS and WhatsApp providers: one SDK
 * client, one deadline, one retry policy, one error mapping. Immutable once
 * built.
 */
export class TwilioGateway {
  private readonly logger = new Logger('TwilioGateway');
  /** The name its SMS and WhatsApp providers take. */
  readonly name: string;

  constructor(
    private readonly client: TwilioClient,
    private readonly settings: TwilioGatewaySettings,
  ) {
    this.name = settings.name ?? TWILIO_PROVIDER_NAME;
  }

  /** Builds the gateway (and its SDK client) from module options, applying defaults; `name` wins over `options.name`. */
  static fromOptions(
    options: TwilioOptions,
    name: string = options.name ?? TWILIO_PROVIDER_NAME,
    statusCallback?: string,
  ): TwilioGateway {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TWILIO_TIMEOUT_MS;
    return new TwilioGateway(createTwilioClient(options, timeoutMs), {
      accountSid: options.accountSid,
      timeoutMs,
      retry: {
        maxRetries: options.maxRetries ?? DEFAULT_TWILIO_MAX_RETRIES,
        backoffMs: options.retryBackoffMs ?? DEFAULT_TWILIO_RETRY_BACKOFF_MS,
      },
      name,
      ...(statusCallback === undefined ? {} : { statusCallback }),
    });
  }

  /**
   * Creates a Message; resolves with its SID. Transient failures are retried
   * per the policy; any final failure becomes SEND_FAILED with Twilio's code.
   */
  async createMessage(channel: TwilioChannel, params: TwilioMessageParams): Promise<ProviderReceipt> {
    const messages = this.client.api.v2010.account.messages;
    const { statusCallback } = this.settings;
    if (statusCallback !== undefined) params = { ...params, statusCallback };
    try {
      const message = await withRetries(
        () => this.deadline(messages.create(params)),
        this.settings.retry,
        {
          isRetryable: (error) => classifyTwilioError(error).retryable,
          onRetry: ({ retry, delayMs, error }) =>
            this.logger.warn(`${this.name}: ${channel} send: retry ${retry} in ${delayMs} ms after ${describe(classifyTwilioError(error))}`),
        },
      );
      if (typeof message.sid !== 'string' || message.sid === '') {
        // Twilio answered with success: the message may exist, so no other account sends it again.
        throw new ProviderSendError(
          `Failed to send ${channel}: Twilio answered without a message SID`,
          { channel, provider: this.name },
          'ambiguous',
        );
      }
      return { messageId: message.sid };
    } catch (error) {
      if (error instanceof SendFailedError) throw error;
      throw this.sendFailed(channel, classifyTwilioError(error));
    }
  }

  /**
   * Fetches the account resource (GET /2010-04-01/Accounts/{Sid}.json): one
   * cheap authenticated call that proves the address, the credentials and
   * the account's standing. Rejects on any failure; never retried.
   */
  async verifyAccount(signal: AbortSignal): Promise<void> {
    const account = await this.deadline(this.client.api.v2010.accounts(this.settings.accountSid).fetch(), signal);
    if (account.status !== 'active') throw new Error(`Twilio account is ${String(account.status)}`);
  }

  /** Bounds one whole Twilio call; the SDK's own timeout only measures socket inactivity. */
  private deadline<T>(call: Promise<T>, signal?: AbortSignal): Promise<T> {
    const { timeoutMs } = this.settings;
    return withDeadline(call, timeoutMs, () => new TwilioTimeoutError(timeoutMs), signal);
  }

  private sendFailed(channel: TwilioChannel, failure: TwilioFailure): ProviderSendError {
    this.logger.warn(`${this.name}: ${channel} send failed: ${describe(failure)}`);
    const details = {
      channel,
      provider: this.name,
      ...(failure.providerCode === undefined ? {} : { providerCode: failure.providerCode }),
    };
    return new ProviderSendError(`Failed to send ${channel}: ${failure.reason}`, details, twilioFailoverKind(failure));
  }
}

/** For operators' logs: kind, HTTP status, Twilio code and reason; never bodies or credentials. */
function describe(failure: TwilioFailure): string {
  const status = failure.httpStatus === undefined ? '' : ` HTTP ${failure.httpStatus}`;
  const code = failure.providerCode === undefined ? '' : ` code ${failure.providerCode}`;
  return `${failure.kind}${status}${code}: ${failure.reason}`;
}
