import type { Provider, Type } from '@nestjs/common';

/** What one channel adds to MessagingModule. */
export interface ChannelRegistration {
  /** Its routes (registered only while `controllers` is on). */
  controllers: Type<unknown>[];
  /** Its service, its built-in provider under the channel's token (CHANNEL_PORTS), what they need. */
  providers: Provider[];
  /** The services a host can inject. */
  exports: Type<unknown>[];
}
