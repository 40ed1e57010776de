import { Module, type DynamicModule } from '@nestjs/common';
import { getModelToken, MongooseModule } from '@nestjs/mongoose';
import { PassportModule } from '@nestjs/passport';
import { TerminusModule } from '@nestjs/terminus';
import { MessagingJwtAuthGuard } from './auth/jwt-auth.guard.js';
import { MessagingJwtStrategy } from './auth/jwt.strategy.js';
import { MessagingThrottlerGuard } from './auth/throttler.guard.js';
import { MessagingExceptionFilter } from './errors/messaging-exception.filter.js';
import { DatabaseHealthIndicator } from './health/database-health.indicator.js';
import { HealthController } from './health/health.controller.js';
import { HealthService } from './health/health.service.js';
import { ProviderHealthIndicator } from './health/provider-health.indicator.js';
import { MessageDispatcher } from './logs/message-dispatcher.js';
import { MessageLogRepository } from './logs/message-log.repository.js';
import { MessageLog, MessageLogSchema } from './logs/message-log.schema.js';
import {
  MessagingConfigurableModule,
  MESSAGING_ASYNC_OPTIONS_TYPE,
  MESSAGING_OPTIONS_TYPE,
} from './messaging.module-definition.js';
import { throttlerProviders } from './messaging.providers.js';
import { emailControllers, emailProviders } from './channels/email/email.registration.js';
import { smsControllers, smsProviders } from './channels/sms/sms.registration.js';
import { whatsappControllers, whatsappProviders } from './channels/whatsapp/whatsapp.registration.js';
import { logsControllers, logsProviders } from './logs/logs.registration.js';
import { MESSAGE_LOG_MODEL } from './messaging.tokens.js';

/**
 * Email, SMS and WhatsApp over real providers, with a MongoDB message log
 * and provider health, as one dynamic module. It registers nothing global:
 * guards, pipes and the exception filter are bound on its own controllers.
 *
 * The host provides the Mongoose connection (`MongooseModule.forRoot`);
 * message logs use the default connection, or `connectionName`.
 */
@Module({})
export class MessagingModule extends MessagingConfigurableModule {
  static override forRoot(options: typeof MESSAGING_OPTIONS_TYPE): DynamicModule {
    return MessagingModule.withFeatures(super.forRoot(options), options.connectionName);
  }

  static override forRootAsync(options: typeof MESSAGING_ASYNC_OPTIONS_TYPE): DynamicModule {
    return MessagingModule.withFeatures(super.forRootAsync(options), options.connectionName);
  }

  private static withFeatures(base: DynamicModule, connectionName?: string): DynamicModule {
    return {
      ...base,
      imports: [
        ...(base.imports ?? []),
        MongooseModule.forFeature([{ name: MessageLog.name, schema: MessageLogSchema }], connectionName),
        PassportModule,
        TerminusModule,
      ],
      controllers: [HealthController, ...emailControllers, ...smsControllers, ...whatsappControllers, ...logsControllers],
      providers: [
        ...(base.providers ?? []),
        { provide: MESSAGE_LOG_MODEL, useExisting: getModelToken(MessageLog.name, connectionName) },
        ...throttlerProviders,
        ...emailProviders,
        ...smsProviders,
        ...whatsappProviders,
        ...logsProviders,
        MessagingJwtStrategy,
        MessagingJwtAuthGuard,
        MessagingThrottlerGuard,
        MessagingExceptionFilter,
        MessageLogRepository,
        MessageDispatcher,
        DatabaseHealthIndicator,
        ProviderHealthIndicator,
        HealthService,
      ],
      exports: [MessageDispatcher, MessageLogRepository],
    };
  }
}
