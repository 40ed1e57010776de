import type { Provider, Type } from '@nestjs/common';

/** Controllers of the logs API (wired into MessagingModule). */
export const logsControllers: Type<unknown>[] = [];

/** Providers of the logs API. */
export const logsProviders: Provider[] = [];
