import { DeliveryReceipts } from './delivery-receipts.service.js';
import type { Provider, Type } from '@nestjs/common';
import { LogsController } from './logs.controller.js';
import { LogsService } from './logs.service.js';
import { MessageLogIndexes } from './message-log.indexes.js';
import { MessageLogQuery } from './message-log.query.js';

/** Controllers of the logs API (wired into MessagingModule). */
export const logsControllers: Type<unknown>[] = [LogsController];

/** Providers of the logs API: the read path, the service, and index creation at startup. */
export const logsProviders: Provider[] = [MessageLogQuery, LogsService, MessageLogIndexes, DeliveryReceipts];
