import type { Provider, Type } from '@nestjs/common';
import { MESSAGING_OPTIONS } from '../messaging.module-definition.js';
import type { MessagingModuleExtras, MessagingModuleOptions } from '../messaging-options.interface.js';
import { HttpObservability } from './http-observability.js';
import { MessagingMetrics } from './messaging-metrics.js';
import { MetricsAccessGuard } from './metrics-access.guard.js';
import { MetricsController } from './metrics.controller.js';

type Shape = Required<Pick<MessagingModuleExtras, 'controllers' | 'metricsRoute'>>;

/** GET <prefix>/metrics, unless the host serves the registry itself (`metricsRoute: false`). */
export function observabilityControllers(extras: Shape): Type<unknown>[] {
  return extras.metricsRoute ? [MetricsController] : [];
}

/** The module's own metrics registry (one per module instance), and the HTTP hooks with the routes. */
export function observabilityProviders(extras: Shape): Provider[] {
  return [
    {
      provide: MessagingMetrics,
      useFactory: (options: MessagingModuleOptions) => new MessagingMetrics(options.metrics),
      inject: [MESSAGING_OPTIONS],
    },
    ...(extras.controllers ? [HttpObservability, MetricsAccessGuard] : []),
  ];
}
