import type { CanActivate, Type } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import type { MessagingModuleOptions } from '@fluxkit/messaging';

/**
 * MessagingModule's options from the host's configuration. Values are passed
 * through as read: MessagingModule validates them at boot and names any bad one.
 */
export function messagingOptions(config: ConfigService, apiKeyGuard: Type<CanActivate>): MessagingModuleOptions {
  const smtpHost = config.get<string>('SMTP_HOST');
  const accountSid = config.get<string>('TWILIO_ACCOUNT_SID');
  return {
    auth:
      config.get<string>('HOST_AUTH') === 'api-key'
        ? { guard: apiKeyGuard }
        : { jwtSecret: config.get<string>('JWT_SECRET') },
    smtp: smtpHost
      ? { host: smtpHost, port: Number(config.get('SMTP_PORT')), secure: false, from: config.getOrThrow<string>('EMAIL_FROM') }
      : undefined,
    twilio: accountSid
      ? {
          accountSid,
          authToken: config.getOrThrow<string>('TWILIO_AUTH_TOKEN'),
          smsFrom: config.get<string>('TWILIO_SMS_FROM'),
          whatsappFrom: config.get<string>('TWILIO_WHATSAPP_FROM'),
          apiBaseUrl: config.get<string>('TWILIO_API_BASE_URL'),
          maxRetries: 0,
        }
      : undefined,
    // Needs the optional peers bullmq and ioredis installed; this host has neither.
    redis: config.get<string>('REDIS_URL') ? { url: config.getOrThrow<string>('REDIS_URL') } : undefined,
  };
}
