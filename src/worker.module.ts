import { Module, type DynamicModule } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { SERVER_SELECTION_TIMEOUT_MS } from './app.module.js';
import type { StandaloneConfig } from './config/environment.js';
import { MessagingModule } from './messaging/messaging.module.js';

/**
 * The standalone delivery worker (dist/worker.js): the same MongoDB
 * connection and MessagingModule as the API, configured from the same
 * variables, without routes, and with the queue's workers on whatever
 * QUEUE_WORKERS says (that variable is for the API process).
 */
@Module({})
export class WorkerModule {
  static forConfig(config: StandaloneConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        MongooseModule.forRoot(config.mongodbUri, {
          serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
          retryAttempts: 3,
          retryDelay: 1_000,
        }),
        MessagingModule.forRootAsync({
          controllers: false,
          useFactory: () => ({ ...config.messaging, queue: { ...config.messaging.queue, workers: true } }),
        }),
      ],
    };
  }
}
