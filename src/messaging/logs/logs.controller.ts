import { Get, UseInterceptors } from '@nestjs/common';
import { MessagingQuery, MessagingParams } from '../errors/messaging-input.decorator.js';
import { MessagingController } from '../auth/messaging-controller.decorator.js';
import { ApiGetLog, ApiListLogs } from '../openapi/logs-api.decorators.js';
import { KnownQueryKeysInterceptor } from './dto/known-query-keys.interceptor.js';
import { LIST_LOGS_QUERY_KEYS, ListLogsQueryDto } from './dto/list-logs.query.js';
import { LogIdParamsDto } from './dto/log-id.params.js';
import type { MessageLogView } from './log-view.js';
import { LogsService, type LogsPage } from './logs.service.js';

/** GET /messaging/logs and GET /messaging/logs/:id */
@MessagingController('logs')
export class LogsController {
  constructor(private readonly logs: LogsService) {}

  /** A page of log rows, newest first, with offset or cursor paging. */
  @Get()
  @ApiListLogs()
  @UseInterceptors(new KnownQueryKeysInterceptor(LIST_LOGS_QUERY_KEYS))
  list(@MessagingQuery() query: ListLogsQueryDto): Promise<LogsPage> {
    return this.logs.list(query);
  }

  /** One log row; 404 NOT_FOUND when absent, 400 for a malformed id. */
  @Get(':id')
  @ApiGetLog()
  @UseInterceptors(new KnownQueryKeysInterceptor([]))
  get(@MessagingParams() params: LogIdParamsDto): Promise<MessageLogView> {
    return this.logs.get(params.id);
  }
}
