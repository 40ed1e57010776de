import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { MessagingModuleExtras, MessagingModuleOptions } from './messaging-options.interface.js';

export const {
  ConfigurableModuleClass: MessagingConfigurableModule,
  MODULE_OPTIONS_TOKEN: MESSAGING_OPTIONS,
  OPTIONS_TYPE: MESSAGING_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: MESSAGING_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<MessagingModuleOptions>({ moduleName: 'Messaging' })
  .setClassMethodName('forRoot')
  .setExtras<MessagingModuleExtras>({}, (definition) => definition)
  .build();
