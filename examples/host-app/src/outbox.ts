import { Injectable, Module } from '@nestjs/common';
import type { OutgoingSms, ProviderReceipt, SmsProvider } from '@fluxkit/messaging';
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

@Module({ providers: [OutboxService], exports: [OutboxService] })
export class OutboxModule {}
