import { MailerModule, type MailerOptions } from '@nestjs-modules/mailer';
import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { MailerServiceEmailProvider, MessagingModule, type MessagingModuleExtras } from '@fluxkit/messaging';
import { ApiKeyGuard } from './api-key.guard.js';
import { HostController } from './host.controller.js';
import { messagingOptions } from './messaging-options.js';
import { OutboxModule, OutboxSmsProvider, UnreachableSmsProvider } from './outbox.js';

/**
 * A host app: its own MongoDB connection, its own mail through
 * @nestjs-modules/mailer, its own routes, and MessagingModule configured
 * from ConfigService. What shapes the module (route prefix, controllers on
 * or off, a replacement SMS provider) is read once, when it is imported.
 */
@Module({})
export class AppModule {
  static register(env: NodeJS.ProcessEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true }),
        MongooseModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            uri: config.getOrThrow<string>('MONGODB_URI'),
            serverSelectionTimeoutMS: 5_000,
          }),
        }),
        MailerModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: hostMailerOptions,
        }),
        MessagingModule.forRootAsync({
          imports: [ConfigModule, OutboxModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => messagingOptions(config, ApiKeyGuard),
          routePrefix: env.MESSAGING_ROUTE_PREFIX ?? 'messaging',
          controllers: env.MESSAGING_CONTROLLERS !== 'false',
          providers: { ...smsProviders(env.HOST_SMS_PROVIDER), ...emailProvider(env.HOST_EMAIL_PROVIDER) },
        }),
        OutboxModule,
      ],
      controllers: [HostController],
    };
  }
}

/** The host's own mail (not MessagingModule's), on the same relay. */
function hostMailerOptions(config: ConfigService): MailerOptions {
  const host = config.get<string>('SMTP_HOST');
  return {
    transport: host ? { host, port: Number(config.get('SMTP_PORT')), secure: false } : { jsonTransport: true },
    // Message defaults (nodemailer's createTransport(transport, defaults)); MailerOptions types them as
    // transport options, which under nodemailer 10's own declarations have no `from`.
    defaults: { from: 'Host Mailer <mailer@host.example>' } as MailerOptions['defaults'],
  };
}

/** HOST_EMAIL_PROVIDER=mailer: MessagingModule's email goes out through this app's MailerService (above). */
function emailProvider(choice: string | undefined): MessagingModuleExtras['providers'] {
  return choice === 'mailer' ? { email: MailerServiceEmailProvider } : undefined;
}

/** HOST_SMS_PROVIDER: `outbox` in place of Twilio, `failover` for an unreachable vendor then the outbox. */
function smsProviders(choice: string | undefined): MessagingModuleExtras['providers'] {
  if (choice === 'outbox') return { sms: OutboxSmsProvider };
  if (choice === 'failover') return { sms: [UnreachableSmsProvider, OutboxSmsProvider] };
  return undefined;
}
