// Public API of @fluxkit/messaging.
export { MessagingModule } from './messaging.module.js';
export { MESSAGING_OPTIONS } from './messaging.module-definition.js';
export type * from './messaging-options.interface.js';
export { DEFAULT_THROTTLE } from './messaging-options.interface.js';
export * from './errors/error-codes.js';
export * from './errors/messaging.errors.js';
export { MessagingExceptionFilter } from './errors/messaging-exception.filter.js';
export * from './providers/email.provider.js';
export * from './providers/sms.provider.js';
export * from './providers/whatsapp.provider.js';
export type { ProviderBase, ProviderReceipt } from './providers/provider.interface.js';
export { MessageLog, MessageLogSchema, CHANNELS, MESSAGE_STATUSES } from './logs/message-log.schema.js';
export type { MessageChannel, MessageStatus, MessageLogError } from './logs/message-log.schema.js';
