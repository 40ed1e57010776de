import {
  MAX_CONSENT_SYNC_MS,
  MAX_QUEUE_ATTEMPTS,
  MAX_QUEUE_BACKOFF_MS,
  MAX_QUEUE_CONCURRENCY,
  MAX_WEBHOOK_BACKOFF_MS,
  type MessagingModuleOptions,
} from './messaging-options.interface.js';
import { E164_PATTERN as E164 } from './channels/sms/dto/message-fields.js';
import { isWebhookSecret, WEBHOOK_SECRET_RULE } from './status-webhooks/webhook-target.js';
import { isHmacAlgorithm, SUPPORTED_ALGORITHMS } from './common/jwt-algorithms.js';
import { publicBaseUrlProblem } from './common/public-base-url.js';
import { redisNodesProblem } from './common/redis-nodes.js';
import {
  bool,
  extensionList,
  guard,
  httpUrl,
  integer,
  isRecord,
  keyPrefix,
  list,
  matching,
  nested,
  positive,
  redisUrl,
  Section,
  text,
  webhookUrls,
  type UnknownRecord,
} from './messaging-options.rules.js';

/**
 * Wrong MessagingModule options. Thrown while the host boots, so the host
 * fails to start with a message naming every bad option, e.g.
 * `MessagingModule options: auth.jwtSecret is required`. Values are never
 * echoed (they may be secrets).
 */
export class MessagingOptionsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`MessagingModule options: ${problems.join('; ')}`);
    this.name = 'MessagingOptionsError';
  }
}

/** Fewer bytes than this make HS256 secrets guessable offline. */
export const MIN_JWT_SECRET_LENGTH = 32;
const EMAIL_FROM = /^([^<>\r\n]*<)?[^\s@<>]+@[^\s@<>]+>?$/;
/** A provider name as log rows and health show it (`twilio`, `twilio-local-capture`); shared with environment.ts. */
export const PROVIDER_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const PROVIDER_NAME_RULE = '1 to 64 of a-z, 0-9, ".", "_" and "-", starting with a letter or digit';
/** Where the module's Redis is: one of them, never two. */
const REDIS_DEPLOYMENTS = ['url', 'sentinel', 'cluster'] as const;

/**
 * Validates the options the host gave (`forRoot` value or `forRootAsync`
 * result) and returns them unchanged, or throws MessagingOptionsError listing
 * every problem. `auth` is required only while the controllers are on.
 */
export function validateMessagingOptions(options: unknown, controllers: boolean): MessagingModuleOptions {
  const problems: string[] = [];
  if (!isRecord(options)) {
    throw new MessagingOptionsError(['expected an object (did the forRootAsync factory return the options?)']);
  }
  const root = new Section(options, '', problems);
  root.warnUnknown(['auth', 'smtp', 'twilio', 'throttle', 'templatesDir', 'logs', 'redis', 'smtpFailover', 'twilioFailover', 'queue', 'webhooks', 'metrics', 'publicBaseUrl', 'attachments', 'unsubscribeSecret', 'consent']);
  if (controllers && options['auth'] === undefined) {
    problems.push('auth is required while controllers are on (set auth.jwtSecret, auth.jwksUri or auth.guard)');
  }
  nested(root, options, 'auth', problems, (s) => validateAuth(s, controllers));
  nested(root, options, 'smtp', problems, validateSmtp);
  nested(root, options, 'twilio', problems, (s) => validateTwilio(s, true));
  list(root, options, 'smtpFailover', 'smtp', problems, validateSmtp);
  list(root, options, 'twilioFailover', 'twilio', problems, (s) => validateTwilio(s, false));
  nested(root, options, 'throttle', problems, (s) => {
    s.warnUnknown(['limit', 'ttlMs', 'countBatchMessages']);
    s.check('limit', integer(1), true);
    s.check('ttlMs', integer(1), true);
    s.check('countBatchMessages', (v) => (typeof v === 'boolean' ? undefined : 'must be a boolean'));
  });
  root.check('templatesDir', text);
  root.check('publicBaseUrl', publicBaseUrlProblem);
  root.check('unsubscribeSecret', (v) =>
    typeof v === 'string' && v.length >= MIN_JWT_SECRET_LENGTH ? undefined : `must be a string of at least ${MIN_JWT_SECRET_LENGTH} characters`,
  );
  nested(root, options, 'logs', problems, (s) => {
    s.warnUnknown(['retentionDays', 'cursorSecret']);
    s.check('retentionDays', positive);
    s.check('cursorSecret', (v) =>
      typeof v === 'string' && v.length >= MIN_JWT_SECRET_LENGTH ? undefined : `must be a string of at least ${MIN_JWT_SECRET_LENGTH} characters`,
    );
  });
  nested(root, options, 'redis', problems, (s) => {
    s.warnUnknown(['url', 'sentinel', 'cluster', 'keyPrefix']);
    const deployments = REDIS_DEPLOYMENTS.filter((key) => s.has(key));
    if (deployments.length !== 1) {
      problems.push(`redis needs exactly one of url, sentinel and cluster${deployments.length > 1 ? ` (got ${deployments.join(' and ')})` : ''}`);
    }
    s.check('url', redisUrl);
    s.check('keyPrefix', keyPrefix);
    const redis = options['redis'] as UnknownRecord;
    nested(s, redis, 'sentinel', problems, (sentinel) => {
      sentinel.warnUnknown(['sentinels', 'name', 'sentinelPassword', 'username', 'password']);
      sentinel.check('sentinels', redisNodesProblem, true);
      sentinel.check('name', text, true);
      for (const key of ['sentinelPassword', 'username', 'password']) sentinel.check(key, text);
    });
    nested(s, redis, 'cluster', problems, (cluster) => {
      cluster.warnUnknown(['nodes', 'username', 'password']);
      cluster.check('nodes', redisNodesProblem, true);
      for (const key of ['username', 'password']) cluster.check(key, text);
    });
  });
  nested(root, options, 'queue', problems, (s) => {
    s.warnUnknown(['workers', 'concurrency', 'attempts', 'backoffMs']);
    s.check('workers', bool);
    s.check('concurrency', integer(1, MAX_QUEUE_CONCURRENCY));
    s.check('attempts', integer(1, MAX_QUEUE_ATTEMPTS));
    s.check('backoffMs', integer(0, MAX_QUEUE_BACKOFF_MS));
  });
  nested(root, options, 'webhooks', problems, (s) => {
    s.warnUnknown(['urls', 'secret', 'backoffMs']);
    s.check('urls', webhookUrls, true);
    s.check('secret', (v) => (typeof v === 'string' && isWebhookSecret(v) ? undefined : WEBHOOK_SECRET_RULE), true);
    s.check('backoffMs', integer(1, MAX_WEBHOOK_BACKOFF_MS));
  });
  nested(root, options, 'metrics', problems, (s) => {
    s.warnUnknown(['enabled', 'token', 'defaultMetrics']);
    s.check('enabled', bool);
    s.check('defaultMetrics', bool);
    s.check('token', (v) => (typeof v === 'string' && /^[\x21-\x7e]{16,}$/.test(v) ? undefined : 'must be at least 16 printable characters without spaces'));
  });
  nested(root, options, 'consent', problems, (s) => {
    s.warnUnknown(['syncMs']);
    s.check('syncMs', integer(0, MAX_CONSENT_SYNC_MS));
  });
  nested(root, options, 'attachments', problems, (s) => {
    s.warnUnknown(['blockedExtensions']);
    s.check('blockedExtensions', extensionList);
  });
  if (problems.length > 0) throw new MessagingOptionsError(problems);
  return options;
}

function validateAuth(s: Section, controllers: boolean): void {
  s.warnUnknown(['jwtSecret', 'jwksUri', 'algorithms', 'issuer', 'audience', 'requireScopes', 'tenantClaim', 'guard']);
  if (s.has('guard') && (s.has('jwtSecret') || s.has('jwksUri'))) {
    s.problem('guard', 'cannot be combined with auth.jwtSecret or auth.jwksUri: set one of them');
  }
  if (controllers && !s.has('jwtSecret') && !s.has('jwksUri') && !s.has('guard')) {
    s.problem('jwtSecret', 'is required (or auth.jwksUri, or auth.guard)');
  }
  s.check('jwtSecret', (v) =>
    typeof v === 'string' && v.length >= MIN_JWT_SECRET_LENGTH
      ? undefined
      : `must be a string of at least ${MIN_JWT_SECRET_LENGTH} characters`,
  );
  s.check('jwksUri', httpUrl);
  s.check('algorithms', (v) => algorithmsProblem(v, s.has('jwtSecret'), s.has('jwksUri')));
  s.check('issuer', text);
  s.check('audience', text);
  s.check('requireScopes', bool);
  s.check('tenantClaim', matching(CLAIM_NAME, 'a claim name (1 to 200 printable ASCII characters, no spaces)'));
  s.check('guard', guard);
}

/** A claim name, namespaced ones included (`https://example.com/tenant`). */
const CLAIM_NAME = /^[\x21-\x7e]{1,200}$/;

/** A non-empty list of supported algorithms, each with its key source configured. */
export function algorithmsProblem(value: unknown, hasSecret: boolean, hasJwks: boolean): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return 'must be a non-empty list of algorithms';
  for (const alg of value as unknown[]) {
    if (typeof alg !== 'string' || !SUPPORTED_ALGORITHMS.includes(alg)) {
      return `must list only ${SUPPORTED_ALGORITHMS.join(', ')}`;
    }
    if (isHmacAlgorithm(alg) && !hasSecret) return `lists ${alg}, which needs auth.jwtSecret`;
    if (!isHmacAlgorithm(alg) && !hasJwks) return `lists ${alg}, which needs auth.jwksUri`;
  }
  return undefined;
}

function validateSmtp(s: Section): void {
  s.warnUnknown(['host', 'port', 'secure', 'user', 'pass', 'from', 'timeoutMs']);
  s.check('host', matching(/^[^\s/]+$/, 'a host name or IP address'), true);
  s.check('port', integer(1, 65535), true);
  s.check('secure', bool, true);
  s.check('user', text);
  s.check('pass', text);
  s.check('from', matching(EMAIL_FROM, 'an address or "Name <address>"'), true);
  s.check('timeoutMs', integer(1));
  if (s.has('user') !== s.has('pass')) {
    const [missing, present] = s.has('user') ? ['pass', 'user'] : ['user', 'pass'];
    s.problem(missing, `is required when ${s.name(present)} is set`);
  }
}

function validateTwilio(s: Section, primary: boolean): void {
  s.warnUnknown([
    'name',
    'accountSid',
    'authToken',
    'smsFrom',
    'messagingServiceSid',
    'whatsappFrom',
    'apiBaseUrl',
    'timeoutMs',
    'maxRetries',
    'retryBackoffMs',
  ]);
  s.check('accountSid', matching(/^AC[0-9a-fA-F]{32}$/, '"AC" followed by 32 hex digits'), true);
  s.check('authToken', text, true);
  s.check('smsFrom', matching(E164, 'an E.164 number like +15551234567'));
  s.check('messagingServiceSid', matching(/^MG[0-9a-fA-F]{32}$/, '"MG" followed by 32 hex digits'));
  s.check('whatsappFrom', matching(E164, 'an E.164 number without the whatsapp: prefix'));
  s.check('apiBaseUrl', httpUrl);
  s.check('timeoutMs', integer(1));
  s.check('maxRetries', integer(0, 10));
  s.check('retryBackoffMs', integer(0));
  // Failover accounts are named by their place (twilio-2...), so a name there would be silently dropped.
  if (primary) s.check('name', matching(PROVIDER_NAME, PROVIDER_NAME_RULE));
  else if (s.has('name')) s.problem('name', 'is not supported in a failover entry (those are named twilio-2, twilio-3...)');
}

