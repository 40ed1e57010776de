import type { Provider, Type } from '@nestjs/common';
import type { MessagingModuleExtras } from '../messaging-options.interface.js';
import { loadConsoleAssets } from './console-assets.js';
import { CONSOLE_ASSETS, ConsoleController } from './console.controller.js';

type Shape = Required<Pick<MessagingModuleExtras, 'controllers' | 'console'>>;

/** GET <prefix>/console and its files, unless the host turned the console off (`console: false`). */
export function consoleControllers(extras: Shape): Type<unknown>[] {
  return extras.controllers && extras.console ? [ConsoleController] : [];
}

/** The built files, read once when the module starts (and not at all when the console is off). */
export function consoleProviders(extras: Shape): Provider[] {
  return extras.controllers && extras.console ? [{ provide: CONSOLE_ASSETS, useFactory: () => loadConsoleAssets() }] : [];
}
