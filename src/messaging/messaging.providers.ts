import type { InjectionToken, Provider, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getOptionsToken, getStorageToken, ThrottlerStorageService, type ThrottlerModuleOptions } from '@nestjs/throttler';
import { MessagingJwtAuthGuard } from './auth/jwt-auth.guard.js';
import { MessagingJwtStrategy } from './auth/jwt.strategy.js';
import { MESSAGING_AUTH_DELEGATE, MessagingAuthGuard } from './auth/messaging-auth.guard.js';
import { MessagingScopeGuard } from './auth/requires-scope.decorator.js';
import { MESSAGING_EXTRAS, MESSAGING_OPTIONS, MESSAGING_RAW_OPTIONS } from './messaging.module-definition.js';
import {
  DEFAULT_THROTTLE,
  type MessagingModuleExtras,
  type MessagingModuleOptions,
  type MessagingProviderOverrides,
} from './messaging-options.interface.js';
import { isProviderInstance } from './messaging-extras.validation.js';
import { MessagingOptionsError, validateMessagingOptions } from './messaging-options.validation.js';
import { CHANNEL_NAMES } from './common/channel-names.js';
import { CHANNEL_PORTS } from './providers/channel-ports.js';
import { overrideList } from './providers/failover/failover-overrides.js';
import type { ProviderBase } from './providers/provider.interface.js';
import { RedisConnection } from './redis/redis-connection.js';
import { RedisThrottlerStorage } from './redis/redis-throttler.storage.js';

/**
 * The import-time extras and the validated options. MESSAGING_OPTIONS is
 * built from the host's raw options when the host boots, so a wrong option
 * stops the host with a message naming it.
 */
export function optionsProviders(extras: Required<Pick<MessagingModuleExtras, 'controllers'>>): Provider[] {
  return [
    { provide: MESSAGING_EXTRAS, useValue: extras },
    {
      provide: MESSAGING_OPTIONS,
      useFactory: (raw: unknown) => validateMessagingOptions(raw, extras.controllers),
      inject: [MESSAGING_RAW_OPTIONS],
    },
  ];
}

/**
 * Throttler options and storage, provided inside this module instead of
 * importing ThrottlerModule (which is @Global and would leak our limits
 * into the host app). With `redis` set, counters live in Redis (shared by
 * every instance) with the in-process storage as the fallback while Redis is
 * unreachable; without it, in-process only, as before. RedisConnection is
 * null without `redis` (the Redis health check reads it too).
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
  {
    provide: RedisConnection,
    useFactory: (options: MessagingModuleOptions) => (options.redis ? new RedisConnection(options.redis) : null),
    inject: [MESSAGING_OPTIONS],
  },
  {
    provide: getStorageToken(),
    useFactory: (redis: RedisConnection | null) =>
      redis ? new RedisThrottlerStorage(redis, new ThrottlerStorageService()) : new ThrottlerStorageService(),
    inject: [RedisConnection],
  },
];

/**
 * Authentication: the JWT strategy exists only when `auth.jwtSecret` or
 * `auth.jwksUri` is set (passport refuses a strategy without a key); MessagingAuthGuard delegates
 * to the host's `auth.guard` when given, else to the JWT guard.
 */
export const authProviders: Provider[] = [
  {
    provide: MessagingJwtStrategy,
    useFactory: (options: MessagingModuleOptions) =>
      options.auth?.jwtSecret === undefined && options.auth?.jwksUri === undefined ? null : new MessagingJwtStrategy(options),
    inject: [MESSAGING_OPTIONS],
  },
  MessagingJwtAuthGuard,
  {
    provide: MESSAGING_AUTH_DELEGATE,
    useFactory: async (options: MessagingModuleOptions, moduleRef: ModuleRef, jwt: MessagingJwtAuthGuard) => {
      const guard = options.auth?.guard;
      if (guard === undefined) return jwt;
      return typeof guard === 'function' ? moduleRef.create(guard) : guard;
    },
    inject: [MESSAGING_OPTIONS, ModuleRef, MessagingJwtAuthGuard],
  },
  MessagingAuthGuard,
  MessagingScopeGuard,
];


/**
 * The host's providers in place of the built-in ones. Returns the providers
 * to add and the tokens they replace (the caller drops the built-in
 * registrations of those tokens, so no SMTP/Twilio client is built for them).
 */
export function providerOverrides(overrides: MessagingProviderOverrides = {}): {
  providers: Provider[];
  replaced: Set<InjectionToken>;
} {
  const providers: Provider[] = [];
  const replaced = new Set<InjectionToken>();
  for (const channel of CHANNEL_NAMES) {
    const override = overrides[channel];
    if (override === undefined) continue;
    const { token } = CHANNEL_PORTS[channel];
    replaced.add(token);
    if (Array.isArray(override)) providers.push(...overrideList(channel, token, override));
    else if (typeof override === 'function') providers.push(...overrideFromClass(channel, token, override));
    else providers.push({ provide: token, useValue: override });
  }
  return { providers, replaced };
}

/** Nest builds the host's class inside the module; what it built is checked before anything uses it. */
function overrideFromClass(channel: string, token: symbol, type: Type<ProviderBase>): Provider[] {
  const instanceToken = Symbol(`${channel} provider (${type.name})`);
  return [
    { provide: instanceToken, useClass: type },
    {
      provide: token,
      useFactory: (instance: ProviderBase) => {
        if (!isProviderInstance(instance)) {
          throw new MessagingOptionsError([
            `providers.${channel} (${type.name}) must implement name, send() and verify()`,
          ]);
        }
        return instance;
      },
      inject: [instanceToken],
    },
  ];
}

/** The registrations' providers without those whose token the host replaced. */
export function withoutReplaced(providers: Provider[], replaced: ReadonlySet<InjectionToken>): Provider[] {
  return providers.filter((provider) => {
    const token = typeof provider === 'function' ? provider : provider.provide;
    return !replaced.has(token);
  });
}
