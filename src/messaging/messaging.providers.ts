import type { Provider } from '@nestjs/common';
import { getOptionsToken, getStorageToken, ThrottlerStorageService, type ThrottlerModuleOptions } from '@nestjs/throttler';
import { MESSAGING_OPTIONS } from './messaging.module-definition.js';
import { DEFAULT_THROTTLE, type MessagingModuleOptions } from './messaging-options.interface.js';

/**
 * Throttler options and storage, provided inside this module instead of
 * importing ThrottlerModule (which is @Global and would leak our limits
 * into the host app).
 */
export const throttlerProviders: Provider[] = [
  {
    provide: getOptionsToken(),
    useFactory: (options: MessagingModuleOptions): ThrottlerModuleOptions => {
      const { limit, ttlMs } = options.throttle ?? DEFAULT_THROTTLE;
      return { throttlers: [{ name: 'default', limit, ttl: ttlMs }] };
    },
    inject: [MESSAGING_OPTIONS],
  },
  { provide: getStorageToken(), useClass: ThrottlerStorageService },
];
