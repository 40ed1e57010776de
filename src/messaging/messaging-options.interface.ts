import type { CanActivate, Type } from '@nestjs/common';
import type { ChannelName } from './common/channel-names.js';
import type { ChannelProvider } from './providers/channel-ports.js';
import type { ProviderBase } from './providers/provider.interface.js';
import type { MetricsOptions } from './observability/messaging-metrics.js';

export type { MetricsOptions };

/** SMTP relay used for the email channel. */
export interface SmtpOptions {
  /** Host name or IP of the SMTP server. */
  host: string;
  /** Port; 587 (STARTTLS) or 465 (implicit TLS) in production, 1025 for a local capture server. */
  port: number;
  /** Implicit TLS from the first byte (port 465). When false, STARTTLS is used if the server offers it. */
  secure: boolean;
  /** Optional login; both or neither of user/pass. */
  user?: string;
  pass?: string;
  /** Default From header, e.g. `"FluxKit <no-reply@example.com>"`. */
  from: string;
  /**
   * How long, in milliseconds, to wait for the TCP connection, the greeting and
   * each reply of the server before the attempt fails as a timeout. Default 10 000.
   */
  timeoutMs?: number;
}

/** Twilio account used for SMS and WhatsApp. */
export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  /** Sender for SMS (E.164). Either this or `messagingServiceSid` enables SMS. */
  smsFrom?: string;
  /** A Twilio Messaging Service SID used as the SMS sender instead of `smsFrom`. */
  messagingServiceSid?: string;
  /** Sender for WhatsApp (E.164, without the `whatsapp:` prefix). Enables WhatsApp. */
  whatsappFrom?: string;
  /** Replaces `https://api.twilio.com` (Twilio-compatible APIs, local fakes). */
  apiBaseUrl?: string;
  /** Deadline of each Twilio call, connection to last byte, in milliseconds. Default 10 000. */
  timeoutMs?: number;
  /**
   * Retries of a send after a transient failure (network error, Twilio 5xx, 429).
   * Rejections (4xx) and timeouts are never retried. Default 2; 0 disables.
   */
  maxRetries?: number;
  /** Delay before the first retry, doubled for each next one, in milliseconds. Default 200. */
  retryBackoffMs?: number;
  /**
   * Name of the provider on log rows, errors and health (`twilio` by default), e.g. `twilio-local-capture`
   * for the local capture of `npm start`. Primary account only: failover accounts are `twilio-2`, `twilio-3`...
   */
  name?: string;
}

/**
 * Authentication of the module's routes: either bearer JWTs checked by the
 * module (`jwtSecret` for HS256 and/or `jwksUri` for an identity provider's
 * RS256/ES256 tokens, optionally `issuer`/`audience`), or the host's own
 * guard (`guard`). One of `jwtSecret`, `jwksUri` and `guard` is required
 * while the module's controllers are on; `guard` goes alone.
 */
export interface AuthOptions {
  /** HS256 secret the tokens are signed with; at least 32 characters. */
  jwtSecret?: string;
  /**
   * The identity provider's JSON Web Key Set (`https://…/.well-known/jwks.json`):
   * tokens signed with RS256 or ES256 are verified against the key their `kid`
   * names. Keys are cached; a new `kid` is fetched (rotation, no restart).
   */
  jwksUri?: string;
  /**
   * The accepted `alg` values. Default: HS256 with `jwtSecret`, RS256 and ES256
   * with `jwksUri`. HS* need `jwtSecret`, the others `jwksUri`.
   */
  algorithms?: string[];
  /** When set, tokens must carry this `iss`. */
  issuer?: string;
  /** When set, tokens must carry this `aud`. */
  audience?: string;
  /**
   * `true`: every route needs its scope (`messaging:send`, ...) and a token
   * without one gets 403 FORBIDDEN. Default `false`: tokens without any scope
   * claim keep every route but the admin views (docs/access.md).
   */
  requireScopes?: boolean;
  /** The claim naming the caller's tenant. Default `tenant`; a token without it is its own tenant (`sub`). */
  tenantClaim?: string;
  /**
   * The host's guard instead of the module's JWT check: a class (built by Nest
   * inside the module, so it can inject what `forRootAsync({ imports })`
   * brings) or an instance. A `false` answer becomes 401 UNAUTHORIZED. Set
   * `request.user = { subject, tenant?, scopes? }` in it (AuthenticatedClient)
   * so log rows record `requestedBy` and `tenant`, and throttling counts per
   * tenant rather than per IP address.
   */
  guard?: Type<CanActivate> | CanActivate;
}

/** Per-client request limit (client = the token's tenant, else IP address). */
export interface ThrottleOptions {
  /** Requests allowed per window. */
  limit: number;
  /** Window length in milliseconds. */
  ttlMs: number;
  /**
   * A batch (POST /messaging/<channel>/batch) of n messages counts n requests against `limit`, so
   * batches cannot go around it (default true); false counts each batch as one request.
   */
  countBatchMessages?: boolean;
}

/** Message log storage. */
export interface LogsOptions {
  /**
   * Delete log rows this many days after they were written (a TTL index on
   * `createdAt`). Unset: keep forever. Databases without TTL indexes
   * (FerretDB 1.x) log a warning and keep every row.
   */
  retentionDays?: number;
  /**
   * Secret the logs cursors' MAC key is derived from (at least 32
   * characters). Default: derived from `auth.jwtSecret`; with `auth.guard`
   * and no cursorSecret, a random key made at startup, so a cursor only
   * works on the process that issued it. Give every instance the same one.
   */
  cursorSecret?: string;
}

/**
 * Redis, for the scale-out features: throttle counters shared by every
 * instance and the delivery queue (BullMQ). Without it both stay in-process.
 */
export interface RedisOptions {
  /**
   * One Redis: `redis://[user:pass@]host:port[/db]` or `rediss://` for TLS.
   * Exactly one of `url`, `sentinel` and `cluster` is set.
   */
  url?: string;
  /** A primary found through Redis Sentinel (it follows failovers). */
  sentinel?: RedisSentinelOptions;
  /**
   * Redis Cluster. The queue's keys then carry the hash tag `{keyPrefix}`,
   * so each BullMQ script touches one slot (docs/operations.md).
   */
  cluster?: RedisClusterOptions;
  /**
   * Prefix of every key and queue name this module writes, so several
   * deployments (or test runs) can share one Redis. Default `fluxkit`.
   */
  keyPrefix?: string;
}

/** A Redis server or Sentinel address. */
export interface RedisNode {
  host: string;
  port: number;
}

/** Credentials of the data nodes (the primary and replicas, or the cluster nodes); Redis ACL user optional. */
export interface RedisNodeCredentials {
  username?: string;
  password?: string;
}

export interface RedisSentinelOptions extends RedisNodeCredentials {
  /** At least one Sentinel; the others are learnt from it. */
  sentinels: RedisNode[];
  /** The monitored primary's name (`sentinel monitor <name> ...`). */
  name: string;
  /** AUTH to the Sentinels themselves, when they require it. */
  sentinelPassword?: string;
}

export interface RedisClusterOptions extends RedisNodeCredentials {
  /** Some of the cluster's nodes (one is enough); the rest are learnt from CLUSTER SLOTS. */
  nodes: RedisNode[];
}

/**
 * Asynchronous delivery (needs `redis`): sends with `Prefer: respond-async`
 * or `sendAt` are queued in BullMQ and delivered by workers.
 */
export interface QueueOptions {
  /**
   * Run delivery workers in this process. Default `true`; `false` only
   * enqueues (run `node dist/worker.js` elsewhere to deliver).
   */
  workers?: boolean;
  /** Messages one process delivers at the same time. Default 10. */
  concurrency?: number;
  /**
   * Attempts per message, the first included, when a provider fails
   * transiently; permanent failures are never retried. Set on each message
   * when it is enqueued. Default 5.
   */
  attempts?: number;
  /**
   * Base of the exponential backoff between attempts, in milliseconds
   * (doubling, with jitter). Set on each message when it is enqueued. Default 1000.
   */
  backoffMs?: number;
}

/**
 * Signed webhooks to the user's own systems: every status change of a log
 * row is POSTed to each URL (docs/webhooks.md).
 */
export interface WebhookOptions {
  /** Absolute http(s) URLs of the receivers; credentials in a URL become a Basic Authorization header. */
  urls: string[];
  /** The Standard Webhooks signing secret: `whsec_` followed by the base64 of 24 to 64 random bytes. */
  secret: string;
  /**
   * For tests: the wait after the first failed attempt, doubled after each
   * next one (8 attempts). Default 5000, so the attempts span about 10.6 minutes.
   */
  backoffMs?: number;
}

/** Email attachments (`attachments` of the email send routes). */
export interface AttachmentOptions {
  /**
   * File extensions refused with 400 (case-insensitive, with or without the
   * dot; matched on the last extension of the cleaned file name, so
   * `invoice.pdf.exe` is refused). Replaces the default list
   * (exe, bat, cmd, com, js, vbs, scr, jar, msi, ps1); `[]` accepts every type.
   */
  blockedExtensions?: string[];
}

/** Options of `MessagingModule.forRoot` / `forRootAsync`. */
export interface MessagingModuleOptions {
  /** Required while the module's controllers are on (`controllers: false` needs none). */
  auth?: AuthOptions;
  /** Omit to leave the email channel unconfigured (sends answer PROVIDER_NOT_CONFIGURED). */
  smtp?: SmtpOptions;
  /** Omit to leave SMS and WhatsApp unconfigured. */
  twilio?: TwilioOptions;
  /**
   * SMTP relays tried in this order when `smtp` (and each one before) fails
   * transiently; named `smtp-2`, `smtp-3`... Requires `smtp`.
   */
  smtpFailover?: SmtpOptions[];
  /**
   * Twilio accounts or Twilio-compatible endpoints (`apiBaseUrl`) tried in this
   * order when `twilio` (and each one before) fails transiently; named
   * `twilio-2`, `twilio-3`... Sender fields left out (`smsFrom` and
   * `messagingServiceSid` together, `whatsappFrom`) and the deadline and retry
   * settings are taken from `twilio`. Requires `twilio`.
   */
  twilioFailover?: TwilioOptions[];
  /** Defaults to 100 requests per 60 000 ms. */
  throttle?: ThrottleOptions;
  /** Folder of email templates; defaults to the `templates/` folder shipped with the package. */
  templatesDir?: string;
  /** Message log retention; rows are kept forever when omitted. */
  logs?: LogsOptions;
  /** Shared throttle counters and the delivery queue; in-process when omitted. */
  redis?: RedisOptions;
  /** The delivery queue's workers and retries (used only with `redis`). */
  queue?: QueueOptions;
  /** Signed status-change webhooks; none when omitted. */
  webhooks?: WebhookOptions;
  /** Prometheus metrics: recorded unless `enabled: false`; who may scrape them (`token`). */
  metrics?: MetricsOptions;
  /**
   * The external origin, with an optional path, at which Twilio reaches this
   * service, e.g. `https://api.example.com` or `https://example.com/comms`
   * (no query or fragment; a trailing slash is dropped). When set, every
   * Twilio message carries a StatusCallback to `<publicBaseUrl>/<routePrefix>/webhooks/twilio/status`
   * and the webhook routes check Twilio's signatures against it. Unset:
   * delivery receipts are off, and the webhook routes refuse every request.
   */
  publicBaseUrl?: string;
  /** Email attachments; executables are refused by default. */
  attachments?: AttachmentOptions;
  /**
   * Key of the one-click unsubscribe links (at least 32 characters). With `publicBaseUrl`, every
   * `marketing` email carries List-Unsubscribe and List-Unsubscribe-Post (RFC 8058); docs/consent.md.
   */
  unsubscribeSecret?: string;
  /** The suppression list's in-memory filter; docs/consent.md. */
  consent?: ConsentOptions;
}

/** How the check before every send meets the suppression list. */
export interface ConsentOptions {
  /**
   * Milliseconds between read-ins of entries written by other processes into the in-memory filter
   * that lets a send skip the database lookup (default 1000): an entry written elsewhere holds here
   * within this time, one written by this process at once. `0`: no filter, every send looks up.
   * At most 60000.
   */
  syncMs?: number;
}

/** Options fixed when the module is imported (they shape its providers, so they cannot be async). */
export interface MessagingModuleExtras {
  /** Name of the host's Mongoose connection to store message logs on; default connection when unset. */
  connectionName?: string;
  /**
   * `false` registers no HTTP routes: the host calls the services (EmailService,
   * SmsService, ...) from its own code only. Default `true`.
   */
  controllers?: boolean;
  /** Path all routes of the module live under, e.g. `'api/messaging'`. Default `'messaging'`. */
  routePrefix?: string;
  /**
   * Mount GET <routePrefix>/metrics (with the controllers). Default `true`: it answers loopback only
   * unless `metrics.token` is set. `false` for a host that serves `MessagingMetrics.registry` itself.
   */
  metricsRoute?: boolean;
  /**
   * Serve the operations console, a web page over the API, at GET <routePrefix>/console (with the
   * controllers). Default `true`. `false`: no such route (404); see docs/operations.md for when.
   */
  console?: boolean;
  /**
   * The host's own provider for a channel, in place of the built-in one
   * (SMTP, Twilio): a class implementing the channel's port (built by Nest
   * inside the module, so it can inject MESSAGING_OPTIONS and what
   * `forRootAsync({ imports })` brings) or a ready instance. A list (of
   * classes or instances, names unique) is tried in order: failover.
   */
  providers?: MessagingProviderOverrides;
}

/** A channel's provider supplied by the host: a class Nest builds, or an instance. */
export type ProviderOverride<T extends ProviderBase> = Type<T> | T;

/**
 * Host-supplied providers, by channel (one, or several in failover order); channels left out keep the
 * built-in provider. `email` takes EmailProvider implementations, `sms` SmsProvider, `whatsapp` WhatsAppProvider.
 */
export type MessagingProviderOverrides = {
  [C in ChannelName]?: ProviderOverride<ChannelProvider<C>> | ProviderOverride<ChannelProvider<C>>[];
};

export const DEFAULT_REDIS_KEY_PREFIX = 'fluxkit';

/** Defaults of the delivery queue (QUEUE_* variables, `queue` option). */
export const DEFAULT_QUEUE_CONCURRENCY = 10;
export const DEFAULT_QUEUE_ATTEMPTS = 5;
export const DEFAULT_QUEUE_BACKOFF_MS = 1_000;
/** Upper bounds, shared by the environment and the options validation. */
export const MAX_QUEUE_CONCURRENCY = 1_000;
export const MAX_QUEUE_ATTEMPTS = 100;
export const MAX_QUEUE_BACKOFF_MS = 3_600_000;
/** Default and bound of the suppression filter's read-in (CONSENT_SYNC_MS, `consent.syncMs`). */
export const DEFAULT_CONSENT_SYNC_MS = 1_000;
export const MAX_CONSENT_SYNC_MS = 60_000;

/** Defaults and bounds of the webhooks' backoff (WEBHOOK_BACKOFF_MS, `webhooks.backoffMs`). */
export const DEFAULT_WEBHOOK_BACKOFF_MS = 5_000;
export const MAX_WEBHOOK_BACKOFF_MS = 3_600_000;

export const DEFAULT_THROTTLE: ThrottleOptions = { limit: 100, ttlMs: 60_000 };

/** Defaults of the Twilio call deadline and retry policy. */
export const DEFAULT_TWILIO_TIMEOUT_MS = 10_000;
export const DEFAULT_TWILIO_MAX_RETRIES = 2;
export const DEFAULT_TWILIO_RETRY_BACKOFF_MS = 200;
