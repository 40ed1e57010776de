import { Delete, UseInterceptors } from '@nestjs/common';
import { MessagingParams } from '../errors/messaging-input.decorator.js';
import { ApiOkResponse, ApiOperation, ApiParam } from '../common/swagger.js';
import { MessagingController } from '../auth/messaging-controller.decorator.js';
import { CallerScope, type CallerView } from '../auth/caller-scope.decorator.js';
import { ErrorCode } from '../errors/error-codes.js';
import { KnownQueryKeysInterceptor } from '../logs/dto/known-query-keys.interceptor.js';
import { LogIdParamsDto } from '../logs/dto/log-id.params.js';
import { ApiErrorResponses, COMMON_ERROR_CODES } from '../openapi/api-error-responses.js';
import { CANCELLED_MESSAGE_LINKS } from '../openapi/message-links.js';
import { MessageCancelledModel } from '../openapi/queue-api-models.js';
import { MessageCancellation, type MessageCancelledResponse } from './message-cancellation.js';
import { MessagingScope } from '../common/scopes.js';

/** DELETE /messaging/messages/:id: cancel a queued or scheduled message. */
@MessagingController('messages', { scope: MessagingScope.SEND })
export class MessagesController {
  constructor(private readonly cancellation: MessageCancellation) {}

  /** 200 once cancelled; 409 when it is already pending, sent, failed or cancelled. */
  @Delete(':id')
  @ApiOperation({ summary: 'Cancel a queued or scheduled message that has not gone out' })
  @ApiParam({ name: 'id', description: 'The `messageId` of the 202 answer', schema: { type: 'string', pattern: '^[0-9a-fA-F]{24}$' } })
  @ApiOkResponse({ type: MessageCancelledModel, links: CANCELLED_MESSAGE_LINKS })
  @ApiErrorResponses(
    ErrorCode.VALIDATION_ERROR,
    ErrorCode.QUEUE_NOT_CONFIGURED,
    ErrorCode.UNAUTHORIZED,
    ErrorCode.FORBIDDEN,
    ErrorCode.NOT_FOUND,
    ErrorCode.MESSAGE_NOT_CANCELLABLE,
    ErrorCode.SERVICE_UNAVAILABLE,
    ...COMMON_ERROR_CODES,
  )
  @UseInterceptors(new KnownQueryKeysInterceptor([]))
  cancel(@MessagingParams() params: LogIdParamsDto, @CallerScope() caller: CallerView): Promise<MessageCancelledResponse> {
    // Another tenant's message is 404, as if absent; an admin may cancel any.
    return this.cancellation.cancel(params.id, caller.admin ? undefined : caller.tenant);
  }
}
