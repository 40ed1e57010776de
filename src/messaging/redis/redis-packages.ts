import { createRequire } from 'node:module';
import type * as BullMq from 'bullmq';
import type * as IoRedis from 'ioredis';
import { MessagingOptionsError } from '../messaging-options.validation.js';

/**
 * bullmq and ioredis are optional peer dependencies: only the `redis` option
 * (shared rate limits, the delivery queue) uses them, so a host without Redis
 * installs neither. They are loaded here, the first time a Redis client,
 * queue or worker is built, never at import time. A synchronous require
 * (both are CommonJS packages) keeps the constructors that use them
 * synchronous, as Nest builds them.
 */
const requireOptional = createRequire(import.meta.url);

const INSTALL_HINT = 'the redis option needs the optional peer dependencies bullmq and ioredis: npm install bullmq ioredis';

function load<T>(name: 'bullmq' | 'ioredis'): T {
  try {
    return requireOptional(name) as T;
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    // Only the package itself missing; a broken install of it must still fail with its own error.
    if (code === 'MODULE_NOT_FOUND' && typeof message === 'string' && message.includes(`'${name}'`)) {
      throw new MessagingOptionsError([`${INSTALL_HINT} (${name} is not installed)`]);
    }
    throw error;
  }
}

export function ioredis(): typeof IoRedis {
  return load<typeof IoRedis>('ioredis');
}

export function bullmq(): typeof BullMq {
  return load<typeof BullMq>('bullmq');
}
