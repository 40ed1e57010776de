import type { SMTPConnectionOptions, SMTPPoolOptions } from 'nodemailer';
import type { SmtpOptions } from '../../messaging-options.interface.js';

/** Wait for connect, greeting and each reply when `SmtpOptions.timeoutMs` is unset. */
export const DEFAULT_SMTP_TIMEOUT_MS = 10_000;

/** Open connections the pool keeps to the relay at most. */
const POOL_MAX_CONNECTIONS = 5;
/** Messages per connection before it is recycled (relays often cap this). */
const POOL_MAX_MESSAGES = 100;

/** Connection settings shared by the sending pool and the health check. */
export function smtpConnectionOptions(options: SmtpOptions): SMTPConnectionOptions {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SMTP_TIMEOUT_MS;
  return {
    host: options.host,
    port: options.port,
    // Implicit TLS on 465; otherwise STARTTLS whenever the server offers it
    // (nodemailer's default: ignoreTLS stays false). A failed upgrade fails the
    // send instead of falling back to plain text (no opportunisticTLS).
    secure: options.secure,
    tls: { minVersion: 'TLSv1.2' },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    logger: false,
  };
}

/** Login for the relay, or undefined when it takes mail without one. */
export function smtpAuth(options: SmtpOptions): { user: string; pass: string } | undefined {
  return options.user !== undefined && options.pass !== undefined
    ? { user: options.user, pass: options.pass }
    : undefined;
}

/**
 * The pooled transport: a few long-lived connections reused across sends.
 * `maxRequeues: 0` because retries are decided by our own policy (bounded,
 * transient failures only), not by the pool behind our back.
 */
export function smtpPoolOptions(options: SmtpOptions, maxRecipients: number): SMTPPoolOptions & { pool: true } {
  return {
    ...smtpConnectionOptions(options),
    pool: true,
    auth: smtpAuth(options),
    maxConnections: POOL_MAX_CONNECTIONS,
    maxMessages: POOL_MAX_MESSAGES,
    maxRequeues: 0,
    maxRecipients,
    // Messages are built from strings only: never let content point at files or URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}
