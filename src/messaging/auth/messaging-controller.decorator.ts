import { applyDecorators, Controller, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { MessagingExceptionFilter } from '../errors/messaging-exception.filter.js';
import { createMessagingValidationPipe } from '../errors/validation.pipe.js';
import { ROUTE_PREFIX } from '../messaging.constants.js';
import { MessagingJwtAuthGuard } from './jwt-auth.guard.js';
import { MessagingThrottlerGuard } from './throttler.guard.js';

export interface MessagingControllerOptions {
  /** Skip the bearer token check (only the health endpoint). */
  public?: boolean;
}

/**
 * Every controller of the module: its route under `/messaging`, our exception
 * filter and validation pipe, the JWT guard (unless public) and the throttler.
 * Bound here rather than globally so a host app keeps its own behaviour.
 */
export function MessagingController(path: string, options: MessagingControllerOptions = {}): ClassDecorator {
  const guards = options.public ? [MessagingThrottlerGuard] : [MessagingJwtAuthGuard, MessagingThrottlerGuard];
  return applyDecorators(
    Controller(path ? `${ROUTE_PREFIX}/${path}` : ROUTE_PREFIX),
    UseFilters(MessagingExceptionFilter),
    UsePipes(createMessagingValidationPipe()),
    UseGuards(...guards),
  );
}
