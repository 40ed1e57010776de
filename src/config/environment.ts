import {
  DEFAULT_TWILIO_MAX_RETRIES,
  DEFAULT_TWILIO_RETRY_BACKOFF_MS,
  DEFAULT_TWILIO_TIMEOUT_MS,
  type MessagingModuleOptions,
  type SmtpOptions,
  type TwilioOptions,
} from '../messaging/messaging-options.interface.js';
import { DEFAULT_SMTP_TIMEOUT_MS } from '../messaging/providers/smtp/smtp-transport-options.js';
import { E164_PATTERN as E164 } from '../messaging/channels/sms/dto/message-fields.js';
import { algorithmsProblem, PROVIDER_NAME, PROVIDER_NAME_RULE } from '../messaging/messaging-options.validation.js';
import type { AuthOptions } from '../messaging/messaging-options.interface.js';
import { normalisePublicBaseUrl, publicBaseUrlProblem } from '../messaging/common/public-base-url.js';
import { smtpFailoverFromEnv, twilioFailoverFromEnv } from './failover-urls.js';
import { webhooksFromEnv } from './webhooks-env.js';
import { redisFromEnv } from './redis-env.js';
import { EXTENSION_PATTERN, EXTENSION_RULE, normalizeExtension } from '../messaging/common/attachment-rules.js';
import {
  DEFAULT_QUEUE_ATTEMPTS,
  DEFAULT_QUEUE_BACKOFF_MS,
  DEFAULT_QUEUE_CONCURRENCY,
  MAX_QUEUE_ATTEMPTS,
  MAX_QUEUE_BACKOFF_MS,
  DEFAULT_CONSENT_SYNC_MS,
  MAX_CONSENT_SYNC_MS,
  MAX_QUEUE_CONCURRENCY,
  type QueueOptions,
} from '../messaging/messaging-options.interface.js';

/**
 * `api`: the HTTP service (dist/main.js). `worker`: delivery workers alone
 * (dist/worker.js), which serve no routes, so JWT_SECRET is optional there.
 */
export type ProcessRole = 'api' | 'worker';
import { DEFAULT_MONGODB_MAX_POOL_SIZE } from './database-pool.js';
import { ConfigError } from './config-error.js';
import { DEFAULT_BATCH_BODY_LIMIT_BYTES } from '../messaging/common/batch-limits.js';

// Its own file so failover-urls.ts can throw it without a file cycle; exported here as before.
export { ConfigError };

export interface StandaloneConfig {
  port: number;
  mongodbUri: string;
  /** Connections to the database (MONGODB_MAX_POOL_SIZE); see database-pool.ts. */
  mongodbMaxPoolSize: number;
  /** Largest accepted request body. */
  bodyLimitBytes: number;
  /** Largest body of a batch route (POST /messaging/<channel>/batch): up to 1,000 messages. */
  batchBodyLimitBytes: number;
  /** Longest a client may take to send one whole request, headers and body (not its handling). */
  requestTimeoutMs: number;
  /** Serve the OpenAPI UI and document at /messaging/docs and /messaging/docs-json. */
  openApiEnabled: boolean;
  /** LOG_LEVEL and LOG_FORMAT: JSON lines (production) or pretty (`npm start`). */
  log: LogSettings;
  /** Mount GET /messaging/metrics and record metrics (METRICS_ENABLED). */
  metricsEnabled: boolean;
  /** Serve the operations console at GET /messaging/console (CONSOLE_ENABLED). */
  consoleEnabled: boolean;
  messaging: MessagingModuleOptions;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const LOG_FORMATS = ['json', 'pretty'] as const;

export interface LogSettings {
  level: (typeof LOG_LEVELS)[number];
  format: (typeof LOG_FORMATS)[number];
}

type Env = Record<string, string | undefined>;

/** Fewer bytes than this make HS256 secrets guessable offline. */
const MIN_JWT_SECRET_LENGTH = 32;
/**
 * Below the 25 s shutdown deadline, so a request still arriving at SIGTERM is
 * cut before it; a 1 MiB body needs only 50 KB/s to arrive in time.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;
/** A century: beyond it "keep forever" (unset) says the same thing more plainly. */
const MAX_RETENTION_DAYS = 36_500;

/**
 * Reads and validates the environment once, at boot. Throws ConfigError
 * naming the first bad variable. Blank values count as unset.
 */
export function loadConfig(env: Env, role: ProcessRole = 'api'): StandaloneConfig {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const mongodbUri = required(read, 'MONGODB_URI');
  if (!/^mongodb(\+srv)?:\/\//.test(mongodbUri)) {
    throw new ConfigError('MONGODB_URI', 'must start with mongodb:// or mongodb+srv://');
  }
  const auth = loadAuth(read, role);
  const metricsEnabled = boolean(read, 'METRICS_ENABLED', true);
  return {
    port: integer(read, 'PORT', 3000, 0, 65535),
    mongodbUri,
    mongodbMaxPoolSize: integer(read, 'MONGODB_MAX_POOL_SIZE', DEFAULT_MONGODB_MAX_POOL_SIZE, 1, 1000),
    bodyLimitBytes: integer(read, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 50 * 1_048_576),
    batchBodyLimitBytes: integer(read, 'BATCH_BODY_LIMIT_BYTES', DEFAULT_BATCH_BODY_LIMIT_BYTES, 1024, 64 * 1_048_576),
    requestTimeoutMs: integer(read, 'REQUEST_TIMEOUT_MS', DEFAULT_REQUEST_TIMEOUT_MS, 1_000, 600_000),
    openApiEnabled: boolean(read, 'OPENAPI_ENABLED', true),
    log: {
      level: oneOf(read, 'LOG_LEVEL', LOG_LEVELS, 'info'),
      format: oneOf(read, 'LOG_FORMAT', LOG_FORMATS, 'json'),
    },
    metricsEnabled,
    consoleEnabled: boolean(read, 'CONSOLE_ENABLED', true),
    messaging: {
      auth,
      smtp: loadSmtp(read),
      twilio: loadTwilio(read),
      // loadSmtp/loadTwilio are pure: read again here so the relays inherit what the primary resolved.
      smtpFailover: smtpFailoverFromEnv(read('SMTP_FAILOVER_URLS'), loadSmtp(read)),
      twilioFailover: twilioFailoverFromEnv(read('TWILIO_FAILOVER_URLS'), loadTwilio(read)),
      throttle: {
        limit: integer(read, 'THROTTLE_LIMIT', 100, 1, 1_000_000),
        ttlMs: integer(read, 'THROTTLE_TTL_MS', 60_000, 1, 86_400_000),
        countBatchMessages: boolean(read, 'THROTTLE_COUNT_BATCH_MESSAGES', true),
      },
      templatesDir: read('TEMPLATES_DIR'),
      logs: { retentionDays: optionalInteger(read, 'LOG_RETENTION_DAYS', 1, MAX_RETENTION_DAYS) },
      redis: redisFromEnv(read),
      queue: loadQueue(read),
      webhooks: webhooksFromEnv(read),
      metrics: { enabled: metricsEnabled, token: metricsToken(read) },
      publicBaseUrl: loadPublicBaseUrl(read),
      attachments: { blockedExtensions: blockedExtensions(read('EMAIL_BLOCKED_EXTENSIONS')) },
      unsubscribeSecret: loadUnsubscribeSecret(read),
      consent: { syncMs: integer(read, 'CONSENT_SYNC_MS', DEFAULT_CONSENT_SYNC_MS, 0, MAX_CONSENT_SYNC_MS) },
    },
  };
}

/**
 * JWT_SECRET (HS256) and/or JWT_JWKS_URL (an identity provider's keys); the
 * API needs one of them, the worker neither. The rest refine them.
 */
function loadAuth(read: (name: string) => string | undefined, role: ProcessRole): AuthOptions | undefined {
  const jwtSecret = read('JWT_SECRET');
  const jwksUri = read('JWT_JWKS_URL');
  if (jwtSecret === undefined && jwksUri === undefined) {
    if (role === 'worker') return undefined;
    throw new ConfigError('JWT_SECRET', 'is required (or JWT_JWKS_URL, for tokens from an identity provider)');
  }
  if (jwtSecret !== undefined && jwtSecret.length < MIN_JWT_SECRET_LENGTH) {
    throw new ConfigError('JWT_SECRET', `must be at least ${MIN_JWT_SECRET_LENGTH} characters`);
  }
  if (jwksUri !== undefined && !isHttpUrl(jwksUri)) throw new ConfigError('JWT_JWKS_URL', 'must be an http(s) URL');
  const algorithms = read('JWT_ALGORITHMS')?.split(',').map((alg) => alg.trim()).filter((alg) => alg !== '');
  if (algorithms !== undefined) {
    const problem = algorithmsProblem(algorithms, jwtSecret !== undefined, jwksUri !== undefined);
    if (problem) throw new ConfigError('JWT_ALGORITHMS', problem.replace('auth.jwtSecret', 'JWT_SECRET').replace('auth.jwksUri', 'JWT_JWKS_URL'));
  }
  const tenantClaim = matching(read, 'JWT_TENANT_CLAIM', /^[\x21-\x7e]{1,200}$/, 'must be a claim name (printable ASCII, no spaces)');
  return {
    ...(jwtSecret === undefined ? {} : { jwtSecret }),
    ...(jwksUri === undefined ? {} : { jwksUri }),
    ...(algorithms === undefined ? {} : { algorithms }),
    issuer: read('JWT_ISSUER'),
    audience: read('JWT_AUDIENCE'),
    requireScopes: boolean(read, 'AUTH_REQUIRE_SCOPES', false),
    ...(tenantClaim === undefined ? {} : { tenantClaim }),
  };
}

/** METRICS_TOKEN: unset leaves GET /messaging/metrics to loopback scrapers only. */
function metricsToken(read: (n: string) => string | undefined): string | undefined {
  const token = read('METRICS_TOKEN');
  if (token !== undefined && !/^[\x21-\x7e]{16,}$/.test(token)) {
    throw new ConfigError('METRICS_TOKEN', 'must be at least 16 printable characters without spaces');
  }
  return token;
}

function oneOf<T extends string>(read: (n: string) => string | undefined, name: string, values: readonly T[], fallback: T): T {
  const raw = read(name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if ((values as readonly string[]).includes(raw)) return raw as T;
  throw new ConfigError(name, `must be one of ${values.join(', ')}`);
}

function loadPublicBaseUrl(read: (name: string) => string | undefined): string | undefined {
  const value = read('PUBLIC_BASE_URL');
  if (value === undefined) return undefined;
  const problem = publicBaseUrlProblem(value);
  if (problem) throw new ConfigError('PUBLIC_BASE_URL', problem);
  return normalisePublicBaseUrl(value);
}

/** EMAIL_BLOCKED_EXTENSIONS: a comma-separated list replacing the default one; `none` blocks nothing. */
function blockedExtensions(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  if (raw.toLowerCase() === 'none') return [];
  const entries = raw.split(',').map(normalizeExtension);
  if (!entries.every((entry) => EXTENSION_PATTERN.test(entry))) {
    throw new ConfigError('EMAIL_BLOCKED_EXTENSIONS', `must be "none" or a comma-separated list of extensions, each ${EXTENSION_RULE}`);
  }
  return entries;
}

function loadUnsubscribeSecret(read: (name: string) => string | undefined): string | undefined {
  const value = read('UNSUBSCRIBE_SECRET');
  if (value !== undefined && value.length < MIN_JWT_SECRET_LENGTH) {
    throw new ConfigError('UNSUBSCRIBE_SECRET', `must be at least ${MIN_JWT_SECRET_LENGTH} characters`);
  }
  return value;
}

function loadQueue(read: (name: string) => string | undefined): QueueOptions {
  return {
    workers: boolean(read, 'QUEUE_WORKERS', true),
    concurrency: integer(read, 'QUEUE_CONCURRENCY', DEFAULT_QUEUE_CONCURRENCY, 1, MAX_QUEUE_CONCURRENCY),
    attempts: integer(read, 'QUEUE_ATTEMPTS', DEFAULT_QUEUE_ATTEMPTS, 1, MAX_QUEUE_ATTEMPTS),
    backoffMs: integer(read, 'QUEUE_BACKOFF_MS', DEFAULT_QUEUE_BACKOFF_MS, 0, MAX_QUEUE_BACKOFF_MS),
  };
}

function loadSmtp(read: (name: string) => string | undefined): SmtpOptions | undefined {
  const host = read('SMTP_HOST');
  if (!host) return undefined;
  const secure = boolean(read, 'SMTP_SECURE', false);
  const user = read('SMTP_USER');
  const pass = read('SMTP_PASS');
  if ((user === undefined) !== (pass === undefined)) {
    throw new ConfigError(user ? 'SMTP_PASS' : 'SMTP_USER', 'must be set together with the other');
  }
  const from = required(read, 'EMAIL_FROM', 'is required when SMTP_HOST is set');
  if (!/^([^<>\r\n]*<)?[^\s@<>]+@[^\s@<>]+>?$/.test(from)) {
    throw new ConfigError('EMAIL_FROM', 'must be an address or "Name <address>"');
  }
  const port = integer(read, 'SMTP_PORT', secure ? 465 : 587, 1, 65535);
  const timeoutMs = integer(read, 'SMTP_TIMEOUT_MS', DEFAULT_SMTP_TIMEOUT_MS, 100, 600_000);
  return { host, port, secure, user, pass, from, timeoutMs };
}

function loadTwilio(read: (name: string) => string | undefined): TwilioOptions | undefined {
  const accountSid = read('TWILIO_ACCOUNT_SID');
  const authToken = read('TWILIO_AUTH_TOKEN');
  if (!accountSid && !authToken) return undefined;
  if (!accountSid) throw new ConfigError('TWILIO_ACCOUNT_SID', 'is required when TWILIO_AUTH_TOKEN is set');
  if (!authToken) throw new ConfigError('TWILIO_AUTH_TOKEN', 'is required when TWILIO_ACCOUNT_SID is set');
  if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid)) {
    throw new ConfigError('TWILIO_ACCOUNT_SID', 'must be "AC" followed by 32 hex digits');
  }
  const smsFrom = matching(read, 'TWILIO_SMS_FROM', E164, 'must be an E.164 number like +15551234567');
  const messagingServiceSid = matching(read, 'TWILIO_MESSAGING_SERVICE_SID', /^MG[0-9a-fA-F]{32}$/, 'must be "MG" followed by 32 hex digits');
  const whatsappFrom = matching(read, 'TWILIO_WHATSAPP_FROM', E164, 'must be an E.164 number without the whatsapp: prefix');
  const apiBaseUrl = read('TWILIO_API_BASE_URL');
  if (apiBaseUrl !== undefined && !isHttpUrl(apiBaseUrl)) {
    throw new ConfigError('TWILIO_API_BASE_URL', 'must be an http(s) URL');
  }
  const name = matching(read, 'TWILIO_PROVIDER_NAME', PROVIDER_NAME, `must be ${PROVIDER_NAME_RULE}`);
  return {
    accountSid,
    authToken,
    smsFrom,
    messagingServiceSid,
    whatsappFrom,
    apiBaseUrl,
    timeoutMs: integer(read, 'TWILIO_TIMEOUT_MS', DEFAULT_TWILIO_TIMEOUT_MS, 100, 120_000),
    maxRetries: integer(read, 'TWILIO_MAX_RETRIES', DEFAULT_TWILIO_MAX_RETRIES, 0, 5),
    retryBackoffMs: integer(read, 'TWILIO_RETRY_BACKOFF_MS', DEFAULT_TWILIO_RETRY_BACKOFF_MS, 0, 10_000),
    ...(name === undefined ? {} : { name }),
  };
}

function required(read: (n: string) => string | undefined, name: string, problem = 'is required'): string {
  const value = read(name);
  if (value === undefined) throw new ConfigError(name, problem);
  return value;
}

function matching(read: (n: string) => string | undefined, name: string, pattern: RegExp, problem: string) {
  const value = read(name);
  if (value !== undefined && !pattern.test(value)) throw new ConfigError(name, problem);
  return value;
}

function integer(read: (n: string) => string | undefined, name: string, fallback: number, min: number, max: number) {
  const raw = read(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

/** Like integer(), but unset stays undefined (e.g. LOG_RETENTION_DAYS: unset means keep forever). */
function optionalInteger(read: (n: string) => string | undefined, name: string, min: number, max: number) {
  return read(name) === undefined ? undefined : integer(read, name, min, min, max);
}

function boolean(read: (n: string) => string | undefined, name: string, fallback: boolean): boolean {
  const raw = read(name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, 'must be true or false');
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
