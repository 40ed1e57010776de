import { Inject, Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import { MessagingMetrics } from '../observability/messaging-metrics.js';
import { DELIVERY_QUEUE, DeliveryQueue } from './delivery-queue.js';

/** A scrape never waits longer than this for Redis: the queue's gauges are then left out of it. */
export const QUEUE_COUNT_TIMEOUT_MS = 1_000;

/**
 * The delivery queue's gauges, read from BullMQ's counts when Prometheus scrapes (never on the send
 * path): messages waiting for a worker, and messages delayed (scheduled, or backing off before a retry).
 */
@Injectable()
export class QueueMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MessagingMetrics,
    @Optional() @Inject(DELIVERY_QUEUE) private readonly queue: DeliveryQueue | null,
  ) {}

  onModuleInit(): void {
    const queue = this.queue;
    if (!queue) return;
    this.metrics.gaugeOnScrape(
      'messaging_queue_depth',
      'Queued messages waiting for a delivery worker',
      () => queue.count('waiting'),
      QUEUE_COUNT_TIMEOUT_MS,
    );
    this.metrics.gaugeOnScrape(
      'messaging_queue_delayed',
      'Messages in the queue waiting for their time: scheduled (sendAt) or backing off before a retry',
      () => queue.count('delayed'),
      QUEUE_COUNT_TIMEOUT_MS,
    );
  }
}
