import { Injectable, Logger } from '@nestjs/common';
import { describeError } from '../common/describe-error.js';
import { MessageLogRepository } from '../logs/message-log.repository.js';
import { keywordOf } from './inbound-keywords.js';
import { normaliseAddress } from './suppression-address.js';
import { EVERY_TENANT } from './suppression.schema.js';
import { SuppressionStore } from './suppression.store.js';

/** The form fields of Twilio's inbound message webhook this reads. */
export type InboundForm = Readonly<Record<string, string | string[] | undefined>>;

const PROVIDER = 'twilio';

/**
 * What an inbound SMS or WhatsApp message does: an opt-out keyword puts the sender on the list with
 * scope `all` for every tenant (the STOP reached our number, not one tenant); an opt-in keyword takes
 * those entries off; anything else becomes a `received` log row. The text itself is never stored:
 * replies are personal data, and the log answers "who wrote, when", not "what".
 */
@Injectable()
export class InboundMessages {
  private readonly logger = new Logger('InboundMessages');

  constructor(
    private readonly store: SuppressionStore,
    private readonly logs: MessageLogRepository,
  ) {}

  async receive(form: InboundForm): Promise<void> {
    const from = single(form['From']);
    const channel = from?.toLowerCase().startsWith('whatsapp:') ? 'whatsapp' : 'sms';
    const address = from === undefined ? undefined : normaliseAddress(channel, from);
    if (!address) {
      this.logger.warn('Ignored an inbound message without a usable From number');
      return;
    }
    const keyword = keywordOf(single(form['Body']) ?? '');
    if (keyword === 'opt_out') {
      await this.store.add({ tenant: EVERY_TENANT, channel, address, scope: 'all', reason: 'opted_out', source: 'inbound' });
    } else if (keyword === 'opt_in') {
      await this.store.removeOptOuts(channel, address);
    } else {
      const to = normaliseAddress(channel, single(form['To']) ?? '') ?? single(form['To']) ?? '';
      const messageId = single(form['MessageSid']);
      try {
        await this.logs.createInbound({ channel, to, from: address, provider: PROVIDER, ...(messageId ? { messageId } : {}) });
      } catch (error) {
        // Twilio retries a failed webhook; a reply that is not a keyword is worth a retry, not a lost row.
        this.logger.error(`Could not record an inbound message: ${describeError(error)}`);
        throw error;
      }
    }
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
