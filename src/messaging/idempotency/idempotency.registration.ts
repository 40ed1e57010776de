import type { DynamicModule, Provider } from '@nestjs/common';
import { getModelToken, MongooseModule } from '@nestjs/mongoose';
import type { MessagingModuleExtras } from '../messaging-options.interface.js';
import { IDEMPOTENCY_MODEL, IDEMPOTENCY_MODEL_NAME, IdempotencyRecordSchema } from './idempotency-record.schema.js';
import { IdempotencyIndexes } from './idempotency.indexes.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { IdempotencyStore } from './idempotency.store.js';

type Extras = Pick<MessagingModuleExtras, 'connectionName' | 'controllers'>;

/**
 * The `idempotency_keys` model, on the message log's connection
 * (`connectionName`), so it works wherever the log does, with or without
 * Redis. Only with controllers: the header is an HTTP feature, and a host
 * that only injects the services gets no collection it does not use.
 */
export function idempotencyImports(extras: Extras): DynamicModule[] {
  if (!extras.controllers) return [];
  return [
    MongooseModule.forFeature([{ name: IDEMPOTENCY_MODEL_NAME, schema: IdempotencyRecordSchema }], extras.connectionName),
  ];
}

export function idempotencyProviders(extras: Extras): Provider[] {
  if (!extras.controllers) return [];
  return [
    { provide: IDEMPOTENCY_MODEL, useExisting: getModelToken(IDEMPOTENCY_MODEL_NAME, extras.connectionName) },
    IdempotencyStore,
    IdempotencyIndexes,
    IdempotencyInterceptor,
  ];
}
