import type { DynamicModule, Provider, Type } from '@nestjs/common';
import { getModelToken, MongooseModule } from '@nestjs/mongoose';
import type { MessagingModuleExtras } from '../messaging-options.interface.js';
import { ConsentGate } from './consent-gate.js';
import { SuppressionFilter } from './suppression-filter.js';
import { SuppressionIndexes } from './suppression.indexes.js';
import { SUPPRESSION_MODEL, SUPPRESSION_MODEL_NAME, SuppressionSchema } from './suppression.schema.js';
import { SuppressionStore } from './suppression.store.js';
import { SuppressionsController } from './suppressions.controller.js';
import { InboundController } from './inbound.controller.js';
import { InboundMessages } from './inbound-messages.js';
import { UnsubscribeController } from './unsubscribe.controller.js';
import { UnsubscribeLinks } from './unsubscribe-links.js';

type Extras = Pick<MessagingModuleExtras, 'connectionName'>;

/** The `suppressions` model, on the message log's connection: every send path checks it, routes or not. */
export function consentImports(extras: Extras): DynamicModule[] {
  return [MongooseModule.forFeature([{ name: SUPPRESSION_MODEL_NAME, schema: SuppressionSchema }], extras.connectionName)];
}

export function consentProviders(extras: Extras): Provider[] {
  return [
    { provide: SUPPRESSION_MODEL, useExisting: getModelToken(SUPPRESSION_MODEL_NAME, extras.connectionName) },
    SuppressionFilter,
    SuppressionStore,
    SuppressionIndexes,
    ConsentGate,
    InboundMessages,
    UnsubscribeLinks,
  ];
}

/** The routes: the suppression list API, one-click unsubscribe, inbound keywords. */
export const consentControllers: Type<unknown>[] = [SuppressionsController, InboundController, UnsubscribeController];
