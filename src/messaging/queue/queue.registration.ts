import type { Provider } from '@nestjs/common';
import { MESSAGING_OPTIONS } from '../messaging.module-definition.js';
import type { MessagingModuleOptions } from '../messaging-options.interface.js';
import { AsyncDelivery } from './async-delivery.js';
import { DeliveryProcessor } from './delivery-processor.js';
import { DELIVERY_QUEUE, DeliveryQueue } from './delivery-queue.js';
import { DeliveryWorker } from './delivery-worker.js';
import { QueueHealthIndicator } from './queue-health.indicator.js';
import { queueSettingsOf } from './queue-settings.js';
import { QueuedMessageLog } from './queued-message-log.js';
import { QueueMetrics } from './queue-metrics.js';

/**
 * Providers of asynchronous delivery. DELIVERY_QUEUE holds the BullMQ
 * producer when `redis` is set and `null` otherwise; the worker starts only
 * with `redis` and `queue.workers` not false. Nothing is registered
 * globally: the queue, its connections and its worker belong to this module.
 */
export const queueProviders: Provider[] = [
  {
    provide: DELIVERY_QUEUE,
    useFactory: (options: MessagingModuleOptions): DeliveryQueue | null => {
      const settings = queueSettingsOf(options);
      return settings ? new DeliveryQueue(settings) : null;
    },
    inject: [MESSAGING_OPTIONS],
  },
  QueuedMessageLog,
  AsyncDelivery,
  DeliveryProcessor,
  DeliveryWorker,
  QueueHealthIndicator,
  QueueMetrics,
];
