// Public API of @fluxkit/messaging.
export { MessagingModule } from './messaging.module.js';
export { MESSAGING_OPTIONS } from './messaging.module-definition.js';
export type * from './messaging-options.interface.js';
export {
  DEFAULT_THROTTLE,
  DEFAULT_TWILIO_MAX_RETRIES,
  DEFAULT_TWILIO_RETRY_BACKOFF_MS,
  DEFAULT_TWILIO_TIMEOUT_MS,
} from './messaging-options.interface.js';
export * from './errors/error-codes.js';
export * from './errors/messaging.errors.js';
export { MessagingExceptionFilter } from './errors/messaging-exception.filter.js';
export { createJsonBodyParser } from './body/json-body.js';
export * from './providers/email.provider.js';
export * from './providers/sms.provider.js';
export * from './providers/whatsapp.provider.js';
export type { ProviderBase, ProviderReceipt } from './providers/provider.interface.js';
export { TwilioGateway, TWILIO_PROVIDER_NAME } from './providers/twilio/twilio-gateway.js';
export { TwilioSmsProvider } from './providers/twilio/twilio-sms.provider.js';
export { TwilioWhatsAppProvider } from './providers/twilio/twilio-whatsapp.provider.js';
export { SendSmsDto } from './channels/sms/dto/send-sms.dto.js';
export { PreviewSmsTemplateDto, SendSmsTemplateDto } from './channels/sms/dto/text-template.dto.js';
export { SendWhatsAppTemplateDto } from './channels/whatsapp/dto/whatsapp-template.dto.js';
export { SendWhatsAppDto, WhatsAppMediaDto } from './channels/whatsapp/dto/send-whatsapp.dto.js';
export type { SmsSentResponse, SmsTemplateFields, SmsTemplatePreviewResponse } from './channels/sms/sms.service.js';
export type { WhatsAppSentResponse, WhatsAppTemplateFields } from './channels/whatsapp/whatsapp.service.js';
export { countSmsSegments, type SmsEncoding, type SmsSegments } from './common/sms-segments.js';
export { MessageLog, MessageLogSchema, CHANNELS, MESSAGE_STATUSES } from './logs/message-log.schema.js';
export type { MessageChannel, MessageStatus, MessageLogError } from './logs/message-log.schema.js';
// Library surface (issue #6): options validation, services a host injects, DTOs and answers.
export { MessagingOptionsError } from './messaging-options.validation.js';
export type { AuthenticatedClient } from './auth/authenticated-client.js';
// Access (issue #14): scopes, the scope decorator and guard for routes of the module and of hosts, tenants.
export { tenantOf } from './auth/authenticated-client.js';
export { MessagingScopeGuard, RequiresScope } from './auth/requires-scope.decorator.js';
export { grantsScope, isAdmin, MESSAGING_SCOPES, MessagingScope } from './common/scopes.js';
export type { Requester } from './common/tenant.js';
export { EmailService } from './channels/email/email.service.js';
export type {
  EmailSentResponse,
  TemplateEmailSentResponse,
  TemplatePreviewResponse,
} from './channels/email/email.service.js';
export { SendEmailDto } from './channels/email/dto/send-email.dto.js';
export { PreviewTemplateDto, SendTemplateEmailDto } from './channels/email/dto/template-email.dto.js';
export { SmsService } from './channels/sms/sms.service.js';
export { WhatsAppService } from './channels/whatsapp/whatsapp.service.js';
export { LogsService } from './logs/logs.service.js';
export type { LogsPage } from './logs/logs.service.js';
export type { MessageLogView } from './logs/log-view.js';
export { ListLogsQueryDto } from './logs/dto/list-logs.query.js';
export { MessageDispatcher } from './logs/message-dispatcher.js';
export { MessageLogRepository } from './logs/message-log.repository.js';
export type { NewMessageLog } from './logs/message-log.repository.js';
// Email channel (issue #3): the SMTP provider, its defaults, and the template types the API answers with.
export { SmtpEmailProvider } from './providers/smtp/smtp-email.provider.js';
export { DEFAULT_SMTP_TIMEOUT_MS } from './providers/smtp/smtp-transport-options.js';
export { MAX_RECIPIENTS_PER_MESSAGE } from './common/limits.js';
export type { RenderedEmail, RenderedLocale, TemplateChannel, TemplateSummary } from './templates/template-renderer.js';
export type { TemplateVariable, VariableType } from './templates/template-manifest.js';
export { NodemailerEmailProvider } from './providers/nodemailer/nodemailer-email.provider.js';
export type {
  MailTransport,
  NodemailerEmailProviderOptions,
  TransportMail,
  TransportMailbox,
} from './providers/nodemailer/nodemailer-email.provider.js';
// The host's @nestjs-modules/mailer MailerService as the email provider (issue #17; the package is an optional peer).
export { MailerServiceEmailProvider } from './providers/mailer/mailer-service-email.provider.js';
export type { MailerServiceLike, MailerServiceMail } from './providers/mailer/mailer-service-email.provider.js';
// Provider failover (issue #9): the composite over a channel's ordered providers, and how a provider's error takes part.
export { FailoverProvider, FailoverSendError, withFailover } from './providers/failover/failover.provider.js';
export type { ChannelProvider, FailoverReceipt } from './providers/failover/failover.provider.js';
export { ProviderSendError, failoverKindOf } from './providers/provider-failure.js';
export type { ProviderFailureKind } from './providers/provider-failure.js';
export { ATTEMPT_OUTCOMES } from './logs/message-log.schema.js';
export type { AttemptOutcome, MessageLogAttempt } from './logs/message-log.schema.js';
export type { MessageLogAttemptView } from './logs/log-view.js';
// Asynchronous delivery (issue #9): the queue's answers, options and cancellation.
export {
  DEFAULT_QUEUE_ATTEMPTS,
  DEFAULT_QUEUE_BACKOFF_MS,
  DEFAULT_QUEUE_CONCURRENCY,
  DEFAULT_REDIS_KEY_PREFIX,
} from './messaging-options.interface.js';
export type { DeliveryOptions, MessageAcceptedResponse } from './queue/async-delivery.js';
export { MessageCancellation } from './messages/message-cancellation.js';
export type { MessageCancelledResponse } from './messages/message-cancellation.js';
export { OUTCOME_UNKNOWN } from './queue/queued-message-log.js';
// Observability (issue #14): the module's Prometheus registry and its recording methods, request ids.
export { MessagingMetrics } from './observability/messaging-metrics.js';
export type { MessageOutcomeStatus, MetricsOptions } from './observability/messaging-metrics.js';
export { currentRequestId, REQUEST_ID_HEADER } from './common/request-id.js';
