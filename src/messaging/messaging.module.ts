import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { getModelToken, MongooseModule } from '@nestjs/mongoose';
import { PassportModule } from '@nestjs/passport';
import { TerminusModule } from '@nestjs/terminus';
import { MessagingThrottlerGuard } from './auth/throttler.guard.js';
import { BatchThrottlerGuard } from './auth/batch-throttler.guard.js';
import { MessagingExceptionFilter } from './errors/messaging-exception.filter.js';
import { PreHandlerErrorEnvelope } from './errors/pre-handler-errors.js';
import { DatabaseHealthIndicator } from './health/database-health.indicator.js';
import { HealthController } from './health/health.controller.js';
import { HealthService } from './health/health.service.js';
import { ProviderHealthIndicator } from './health/provider-health.indicator.js';
import { RedisHealthIndicator } from './health/redis-health.indicator.js';
import { MessageDispatcher } from './logs/message-dispatcher.js';
import { MessageLogRepository } from './logs/message-log.repository.js';
import { MessageLog, MessageLogSchema } from './logs/message-log.schema.js';
import { StatusUpdates } from './logs/status-updates.js';
import { StatusAnnouncements } from './common/status-announcements.js';
import {
  DEFAULT_MESSAGING_EXTRAS,
  MessagingConfigurableModule,
  MESSAGING_ASYNC_OPTIONS_TYPE,
  MESSAGING_OPTIONS,
  MESSAGING_OPTIONS_TYPE,
} from './messaging.module-definition.js';
import type { MessagingModuleExtras } from './messaging-options.interface.js';
import { validateMessagingExtras } from './messaging-extras.validation.js';
import {
  authProviders,
  optionsProviders,
  providerOverrides,
  throttlerProviders,
  withoutReplaced,
} from './messaging.providers.js';
import { channelControllers, channelExports, channelProviders } from './channels/channel-registrations.js';
import { logsControllers, logsProviders } from './logs/logs.registration.js';
import { idempotencyImports, idempotencyProviders } from './idempotency/idempotency.registration.js';
import { MESSAGE_LOG_MODEL } from './messaging.tokens.js';
import { CHANNEL_NAMES } from './common/channel-names.js';
import { CHANNEL_PORTS } from './providers/channel-ports.js';
import { LogsService } from './logs/logs.service.js';
import { queueProviders } from './queue/queue.registration.js';
import { messagesControllers, messagesProviders } from './messages/messages.registration.js';
import { MessageCancellation } from './messages/message-cancellation.js';
import { channelProvidersProvider } from './providers/channel-providers.js';
import { consentControllers, consentImports, consentProviders } from './consent/consent.registration.js';
import { SuppressionStore } from './consent/suppression.store.js';
import { webhookControllers, webhookProviders } from './webhooks/webhooks.registration.js';
import { statusWebhookProviders } from './status-webhooks/status-webhooks.registration.js';
import { observabilityControllers, observabilityProviders } from './observability/observability.registration.js';
import { MessagingMetrics } from './observability/messaging-metrics.js';
import { consoleControllers, consoleProviders } from './console/console.registration.js';

/** What a host can inject from MessagingModule: the services that send and log, and the provider ports. */
const exportedTokens = () => [
  ...channelExports(),
  LogsService,
  MessageDispatcher,
  MessageLogRepository,
  ...CHANNEL_NAMES.map((channel) => CHANNEL_PORTS[channel].token),
  MessageCancellation,
  MessagingMetrics,
  SuppressionStore,
];

/**
 * Email, SMS and WhatsApp over real providers, with a MongoDB message log
 * and provider health, as one dynamic module.
 *
 * ```ts
 * MongooseModule.forRoot(process.env.MONGODB_URI),
 * MessagingModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ auth: { jwtSecret: config.getOrThrow('JWT_SECRET') }, ... }),
 * }),
 * ```
 *
 * - The host provides the Mongoose connection (`MongooseModule.forRoot`);
 *   message logs use the default connection, or `connectionName`.
 * - It registers nothing global (no APP_GUARD/APP_PIPE/APP_FILTER, not
 *   `@Global`): guards, pipes and the exception filter are bound on its own
 *   controllers, so the host's routes behave exactly as before.
 * - Routes live under `routePrefix` (default `messaging`); `controllers: false`
 *   registers none, for hosts that only call the exported services.
 * - The options are validated when the host boots: a wrong one stops the
 *   host with `MessagingModule options: <option> <problem>`.
 */
@Module({})
export class MessagingModule extends MessagingConfigurableModule {
  /** Options known now. Everything in MessagingModuleExtras (`controllers`, `routePrefix`, ...) goes here too. */
  static override forRoot(options: typeof MESSAGING_OPTIONS_TYPE): DynamicModule {
    return MessagingModule.withFeatures(super.forRoot(options), options);
  }

  /**
   * Options from a factory (`useFactory` + `inject`, `useClass` or
   * `useExisting`), e.g. read from ConfigService. The extras (`controllers`,
   * `routePrefix`, `providers`, `connectionName`) shape the module and are
   * given beside the factory, not returned by it.
   */
  static override forRootAsync(options: typeof MESSAGING_ASYNC_OPTIONS_TYPE): DynamicModule {
    return MessagingModule.withFeatures(super.forRootAsync(options), options);
  }

  private static withFeatures(base: DynamicModule, given: MessagingModuleExtras): DynamicModule {
    const extras = resolveExtras(given);
    const overrides = providerOverrides(extras.providers);
    const ownProviders = withoutReplaced(
      [...channelProviders(), ...logsProviders],
      overrides.replaced,
    );
    return {
      ...base,
      imports: [
        ...(base.imports ?? []),
        MongooseModule.forFeature([{ name: MessageLog.name, schema: MessageLogSchema }], extras.connectionName),
        ...idempotencyImports(extras),
        ...consentImports(extras),
        PassportModule,
        TerminusModule,
        ...(extras.controllers ? [RouterModule.register([{ path: extras.routePrefix, module: MessagingModule }])] : []),
      ],
      controllers: extras.controllers
        ? [...messagingControllers(), ...observabilityControllers(extras), ...consoleControllers(extras)]
        : [],
      providers: [
        ...(base.providers ?? []),
        ...optionsProviders(extras),
        { provide: MESSAGE_LOG_MODEL, useExisting: getModelToken(MessageLog.name, extras.connectionName) },
        ...throttlerProviders,
        ...ownProviders,
        ...overrides.providers,
        ...authProviders,
        MessagingThrottlerGuard,
        BatchThrottlerGuard,
        MessagingExceptionFilter,
        StatusAnnouncements,
        StatusUpdates,
        ...(extras.controllers ? [PreHandlerErrorEnvelope, ...webhookProviders] : []),
        MessageLogRepository,
        MessageDispatcher,
        channelProvidersProvider,
        DatabaseHealthIndicator,
        ProviderHealthIndicator,
        RedisHealthIndicator,
        HealthService,
        ...idempotencyProviders(extras),
        ...queueProviders,
        ...messagesProviders,
        ...statusWebhookProviders,
        ...observabilityProviders(extras),
        ...consentProviders(extras),
        ...consoleProviders(extras),
      ],
      exports: [MESSAGING_OPTIONS, ...exportedTokens()],
    };
  }
}

function messagingControllers(): Type<unknown>[] {
  return [
    HealthController,
    ...channelControllers(),
    ...logsControllers,
    ...messagesControllers,
    ...consentControllers,
    ...webhookControllers,
  ];
}

type ResolvedExtras = MessagingModuleExtras & { controllers: boolean; routePrefix: string; metricsRoute: boolean; console: boolean };

/** The extras the host gave (forRootAsync mixes them with the factory keys), validated, defaults applied. */
function resolveExtras(given: MessagingModuleExtras): ResolvedExtras {
  const extras = {
    connectionName: given.connectionName,
    controllers: given.controllers ?? DEFAULT_MESSAGING_EXTRAS.controllers,
    routePrefix: given.routePrefix ?? DEFAULT_MESSAGING_EXTRAS.routePrefix,
    metricsRoute: given.metricsRoute ?? DEFAULT_MESSAGING_EXTRAS.metricsRoute,
    console: given.console ?? DEFAULT_MESSAGING_EXTRAS.console,
    providers: given.providers,
  };
  validateMessagingExtras(extras);
  return extras;
}
