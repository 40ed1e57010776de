import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import type { StandaloneConfig } from './config/environment.js';
import { MONGODB_WAIT_QUEUE_TIMEOUT_MS } from './config/database-pool.js';
import { MessagingExceptionFilter } from './messaging/errors/messaging-exception.filter.js';
import { MessagingModule } from './messaging/messaging.module.js';

/** Fail fast when the database cannot be reached, instead of the driver's 30 s. */
export const SERVER_SELECTION_TIMEOUT_MS = 5_000;

/**
 * The standalone service: one MongoDB connection and MessagingModule,
 * configured from validated environment variables. Being the whole app, it
 * (unlike MessagingModule) installs the error envelope globally, so malformed
 * JSON, oversized bodies and unknown routes answer in the same shape.
 */
@Module({})
export class AppModule {
  static forConfig(config: StandaloneConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        MongooseModule.forRoot(config.mongodbUri, {
          serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
          retryAttempts: 3,
          retryDelay: 1_000,
          maxPoolSize: config.mongodbMaxPoolSize,
          waitQueueTimeoutMS: MONGODB_WAIT_QUEUE_TIMEOUT_MS,
        }),
        MessagingModule.forRootAsync({
          metricsRoute: config.metricsEnabled,
          console: config.consoleEnabled,
          useFactory: () => config.messaging,
        }),
      ],
      providers: [{ provide: APP_FILTER, useClass: MessagingExceptionFilter }],
    };
  }
}
