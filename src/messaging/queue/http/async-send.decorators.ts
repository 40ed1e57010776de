import { applyDecorators, createParamDecorator, type ExecutionContext, type NestInterceptor, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '../../common/swagger.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import { ACCEPTED_MESSAGE_LINKS } from '../../openapi/message-links.js';
import { MessageAcceptedModel } from '../../openapi/queue-api-models.js';
import { isMessageAccepted } from '../async-delivery.js';
import { prefersRespondAsync } from './prefer-header.js';

/** `Prefer: respond-async` on this request (RFC 7240). */
export const PreferAsync = createParamDecorator((_data: unknown, context: ExecutionContext): boolean =>
  prefersRespondAsync(context.switchToHttp().getRequest<FastifyRequest>().headers.prefer),
);

/**
 * Answers 202 when the handler accepted the message for asynchronous
 * delivery (and `Preference-Applied: respond-async` when that was the
 * client's preference); a synchronous answer passes unchanged.
 */
export class AcceptedResponseInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: { handle(): Observable<unknown> }): Observable<unknown> {
    return next.handle().pipe(
      map((result) => {
        if (!isMessageAccepted(result)) return result;
        const http = context.switchToHttp();
        const reply = http.getResponse<FastifyReply>();
        void reply.status(202);
        if (prefersRespondAsync(http.getRequest<FastifyRequest>().headers.prefer)) {
          void reply.header('Preference-Applied', 'respond-async');
        }
        return result;
      }),
    );
  }
}

/**
 * A send route that can answer asynchronously: the 202 handling above, and
 * its documentation (the Prefer header, the 202 answer and its header).
 */
export function AsyncCapable(): MethodDecorator {
  return applyDecorators(
    UseInterceptors(new AcceptedResponseInterceptor()),
    ApiHeader({
      name: 'Prefer',
      required: false,
      description:
        '`respond-async` (RFC 7240): with the delivery queue configured (REDIS_URL), the message is logged as ' +
        '`queued` and delivered by a worker; the answer is 202. Without a queue it is ignored and the send is synchronous.',
      schema: { type: 'string' },
    }),
    ApiResponse({
      status: 202,
      type: MessageAcceptedModel,
      description: 'Accepted for asynchronous delivery (`Prefer: respond-async`, or `sendAt`); follow it with GET /messaging/logs/{messageId}',
      headers: {
        'Preference-Applied': {
          description: '`respond-async` when the request asked for it',
          schema: { type: 'string', enum: ['respond-async'] },
        },
      },
      links: ACCEPTED_MESSAGE_LINKS,
    }),
  );
}
