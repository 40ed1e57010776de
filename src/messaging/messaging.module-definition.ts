import { ConfigurableModuleBuilder } from '@nestjs/common';
import { ROUTE_PREFIX } from './messaging.constants.js';
import type { MessagingModuleExtras, MessagingModuleOptions } from './messaging-options.interface.js';

/**
 * The options exactly as the host gave them (`forRoot` value or the
 * `forRootAsync` factory's result). Internal: read MESSAGING_OPTIONS instead.
 */
export const MESSAGING_RAW_OPTIONS = Symbol('MESSAGING_RAW_OPTIONS');

/**
 * The module's options after validation at boot. Inject it with
 * `@Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions`.
 */
export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

/** The import-time extras (controllers, routePrefix, ...), with defaults applied. */
export const MESSAGING_EXTRAS = Symbol('MESSAGING_EXTRAS');

/** Extras with their defaults; the keys listed here are also kept out of the options value. */
export const DEFAULT_MESSAGING_EXTRAS: Required<Omit<MessagingModuleExtras, 'connectionName' | 'providers'>> &
  MessagingModuleExtras = {
  connectionName: undefined,
  controllers: true,
  routePrefix: ROUTE_PREFIX,
  metricsRoute: true,
  console: true,
  providers: undefined,
};

export const {
  ConfigurableModuleClass: MessagingConfigurableModule,
  OPTIONS_TYPE: MESSAGING_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: MESSAGING_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<MessagingModuleOptions>({
  moduleName: 'Messaging',
  optionsInjectionToken: MESSAGING_RAW_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setExtras<MessagingModuleExtras>(DEFAULT_MESSAGING_EXTRAS, (definition) => definition)
  .build();
