import { Injectable, Module } from '@nestjs/common';
import { ProviderSendError, type OutgoingSms, type ProviderReceipt, type SmsProvider } from '@fluxkit/messaging';
import { randomUUID } from 'node:crypto';

/** Where the host keeps the SMS its own provider "sent" (a stand-in for another SMS vendor). */
@Injectable()
export class OutboxService {
  readonly messages: Array<OutgoingSms & { id: string }> = [];
}

/**
 * The host's own SMS provider, used in place of Twilio when MessagingModule is
 * imported with `providers: { sms: OutboxSmsProvider }`. Nest builds it inside
 * MessagingModule, injecting OutboxService from `forRootAsync({ imports })`.
 */
@Injectable()
export class OutboxSmsProvider implements SmsProvider {
  readonly name = 'host-outbox';

  constructor(private readonly outbox: OutboxService) {}

  send(sms: OutgoingSms): Promise<ProviderReceipt> {
    const id = `outbox-${randomUUID()}`;
    this.outbox.messages.push({ ...sms, id });
    return Promise.resolve({ messageId: id });
  }

  verify(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * A vendor that is down: listed first in `providers: { sms: [UnreachableSmsProvider, OutboxSmsProvider] }`,
 * its transient failure (ProviderSendError with `failover: 'transient'`) hands the message to the next one.
 */
@Injectable()
export class UnreachableSmsProvider implements SmsProvider {
  readonly name = 'host-unreachable';

  send(): Promise<ProviderReceipt> {
    const details = { channel: 'sms' as const, provider: this.name };
    return Promise.reject(new ProviderSendError('Failed to send sms: the vendor is unreachable', details, 'transient'));
  }

  verify(): Promise<void> {
    return Promise.reject(new Error('the vendor is unreachable'));
  }
}

@Module({ providers: [OutboxService], exports: [OutboxService] })
export class OutboxModule {}
