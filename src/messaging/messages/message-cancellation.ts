import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import {
  MessageNotCancellableError,
  NotFoundError,
  QueueNotConfiguredError,
  ServiceUnavailableError,
} from '../errors/messaging.errors.js';
import type { MessageChannel } from '../logs/message-log.schema.js';
import { DELIVERY_QUEUE, DeliveryQueue } from '../queue/delivery-queue.js';
import { QueuedMessageLog, type QueuedRow } from '../queue/queued-message-log.js';

/** Answer of DELETE /messaging/messages/:id. */
export interface MessageCancelledResponse {
  messageId: string;
  status: 'cancelled';
  channel: MessageChannel;
  to: string | string[];
}

/**
 * Cancels a message that is still `queued` or `scheduled`. The log row
 * decides: one conditional update moves it to `cancelled`, so a worker that
 * takes the message at the same moment either wins (the message goes out,
 * the cancellation answers 409) or finds it cancelled and sends nothing.
 * The BullMQ job is then removed, best effort (it only frees Redis early).
 */
@Injectable()
export class MessageCancellation {
  private readonly logger = new Logger('MessageCancellation');

  constructor(
    private readonly rows: QueuedMessageLog,
    @Optional() @Inject(DELIVERY_QUEUE) private readonly queue: DeliveryQueue | null,
  ) {}

  /**
   * `id`: a log row id (24 hex digits). Throws QUEUE_NOT_CONFIGURED without
   * Redis, NOT_FOUND for an unknown id, MESSAGE_NOT_CANCELLABLE (with the
   * current status) once a worker took it or it is over. With `tenant`, a
   * row of another tenant is NOT_FOUND too, and is left untouched: its owner
   * is checked before anything changes (a row's tenant never changes).
   */
  async cancel(id: string, tenant?: string): Promise<MessageCancelledResponse> {
    if (!this.queue) throw new QueueNotConfiguredError('Cancelling a message');
    if (tenant !== undefined && (await this.ownerOf(id.toLowerCase())) !== tenant) throw new NotFoundError('Message not found');
    const { cancelled, row } = await this.cancelRow(id.toLowerCase());
    if (!row) throw new NotFoundError('Message not found');
    if (!cancelled) throw new MessageNotCancellableError(row.status);
    const messageId = row._id.toHexString();
    await this.queue.remove(messageId);
    return { messageId, status: 'cancelled', channel: row.channel, to: row.to };
  }

  private cancelRow(id: string): Promise<{ cancelled: boolean; row?: QueuedRow }> {
    return this.guard(id, () => this.rows.cancel(id));
  }

  private async ownerOf(id: string): Promise<string | undefined> {
    return (await this.guard(id, () => this.rows.find(id)))?.tenant;
  }

  private async guard<T>(id: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.logger.error(`Cancelling message ${id} failed: ${error instanceof Error ? error.message : String(error)}`);
      throw new ServiceUnavailableError('The message log store is unavailable');
    }
  }
}
