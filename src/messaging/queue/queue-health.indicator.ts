import { Inject, Injectable, Optional } from '@nestjs/common';
import { DELIVERY_QUEUE, DeliveryQueue } from './delivery-queue.js';

export interface QueueHealth {
  status: 'connected' | 'disconnected';
}

/**
 * The delivery queue's Redis, for /messaging/health: undefined when no Redis
 * is configured (the field is then left out). Checked live (a PING with a
 * 1 s timeout), like the database: it gates every asynchronous send.
 */
@Injectable()
export class QueueHealthIndicator {
  constructor(@Optional() @Inject(DELIVERY_QUEUE) private readonly queue: DeliveryQueue | null) {}

  async check(): Promise<QueueHealth | undefined> {
    if (!this.queue) return undefined;
    return { status: (await this.queue.isConnected()) ? 'connected' : 'disconnected' };
  }
}
