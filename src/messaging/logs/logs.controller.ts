import { Get, UseInterceptors } from '@nestjs/common';
import { MessagingQuery, MessagingParams } from '../errors/messaging-input.decorator.js';
import { MessagingController } from '../auth/messaging-controller.decorator.js';
import { CallerScope, type CallerView } from '../auth/caller-scope.decorator.js';
import { ForbiddenError } from '../errors/messaging.errors.js';
import { ApiGetLog, ApiListLogs } from '../openapi/logs-api.decorators.js';
import { KnownQueryKeysInterceptor } from './dto/known-query-keys.interceptor.js';
import { LIST_LOGS_QUERY_KEYS, ListLogsQueryDto } from './dto/list-logs.query.js';
import { LogIdParamsDto } from './dto/log-id.params.js';
import type { MessageLogView } from './log-view.js';
import { LogsService, type LogsPage } from './logs.service.js';
import { MessagingScope } from '../common/scopes.js';

/**
 * GET /messaging/logs and GET /messaging/logs/:id: a caller sees its own
 * tenant's rows (another tenant's row is 404, as if absent); an admin
 * (`messaging:admin`) sees every tenant's, or one with `?tenant=`.
 */
@MessagingController('logs', { scope: MessagingScope.LOGS_READ })
export class LogsController {
  constructor(private readonly logs: LogsService) {}

  /** A page of log rows, newest first, with offset or cursor paging. */
  @Get()
  @ApiListLogs()
  @UseInterceptors(new KnownQueryKeysInterceptor(LIST_LOGS_QUERY_KEYS))
  list(@MessagingQuery() query: ListLogsQueryDto, @CallerScope() caller: CallerView): Promise<LogsPage> {
    if (query.tenant !== undefined && !caller.admin) {
      throw new ForbiddenError(MessagingScope.ADMIN, '?tenant= needs the messaging:admin scope');
    }
    return this.logs.list(query, { tenant: caller.admin ? query.tenant : caller.tenant });
  }

  /** One log row; 404 NOT_FOUND when absent, 400 for a malformed id. */
  @Get(':id')
  @ApiGetLog()
  @UseInterceptors(new KnownQueryKeysInterceptor([]))
  get(@MessagingParams() params: LogIdParamsDto, @CallerScope() caller: CallerView): Promise<MessageLogView> {
    return this.logs.get(params.id, caller.admin ? {} : { tenant: caller.tenant });
  }
}
