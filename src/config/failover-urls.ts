import { E164_PATTERN as E164 } from '../messaging/channels/sms/dto/message-fields.js';
import type { SmtpOptions, TwilioOptions } from '../messaging/messaging-options.interface.js';
import { ConfigError } from './config-error.js';

const SMTP_VARIABLE = 'SMTP_FAILOVER_URLS';
const TWILIO_VARIABLE = 'TWILIO_FAILOVER_URLS';
const SMTP_SHAPE = 'smtp://[user:pass@]host[:port] or smtps://[user:pass@]host[:port]';
const TWILIO_SHAPE = 'https://ACSID:TOKEN@host[:port][/path] (http:// on loopback only)';
const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * SMTP_FAILOVER_URLS: comma-separated relays tried, in order, after
 * SMTP_HOST. Each shares EMAIL_FROM and SMTP_TIMEOUT_MS with the primary;
 * `smtps://` is implicit TLS (port 465 by default), `smtp://` STARTTLS when
 * offered (port 587 by default). Reserved characters of a user or password
 * (`@ : / , %`...) are percent-encoded. A bad entry is a ConfigError naming
 * the variable and the entry's position, never its text (it may hold a password).
 */
export function smtpFailoverFromEnv(raw: string | undefined, primary: SmtpOptions | undefined): SmtpOptions[] | undefined {
  const entries = splitList(raw);
  if (entries === undefined) return undefined;
  if (!primary) throw new ConfigError(SMTP_VARIABLE, 'requires SMTP_HOST (the relays are tried after it)');
  return entries.map((entry, index) => {
    const bad = (problem: string) => new ConfigError(SMTP_VARIABLE, `entry ${index + 1} ${problem}`);
    const url = parseUrl(entry, bad, SMTP_SHAPE);
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw bad(`must be ${SMTP_SHAPE}`);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (host === '' || (url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '') {
      throw bad(`must be ${SMTP_SHAPE}, without a path or query`);
    }
    const secure = url.protocol === 'smtps:';
    if (url.port === '0') throw bad('must have a port from 1 to 65535');
    const user = decode(url.username, bad);
    const pass = decode(url.password, bad);
    if ((user === '') !== (pass === '')) throw bad('must give both a user and a password, or neither');
    return {
      host,
      port: url.port === '' ? (secure ? 465 : 587) : Number(url.port),
      secure,
      ...(user === '' ? {} : { user, pass }),
      from: primary.from,
      ...(primary.timeoutMs === undefined ? {} : { timeoutMs: primary.timeoutMs }),
    };
  });
}

/**
 * TWILIO_FAILOVER_URLS: comma-separated Twilio accounts or Twilio-compatible
 * API base URLs tried, in order, after the primary account, each with its
 * own account SID and auth token as the URL's user and password. They share
 * the primary's senders unless the URL's query names its own (`smsFrom`,
 * `messagingServiceSid`, `whatsappFrom`, percent-encoded: `%2B1555...`),
 * and the primary's deadline and retries.
 */
export function twilioFailoverFromEnv(raw: string | undefined, primary: TwilioOptions | undefined): TwilioOptions[] | undefined {
  const entries = splitList(raw);
  if (entries === undefined) return undefined;
  if (!primary) throw new ConfigError(TWILIO_VARIABLE, 'requires TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (tried after them)');
  return entries.map((entry, index) => {
    const bad = (problem: string) => new ConfigError(TWILIO_VARIABLE, `entry ${index + 1} ${problem}`);
    const url = parseUrl(entry, bad, TWILIO_SHAPE);
    const secure = url.protocol === 'https:';
    if (!secure && url.protocol !== 'http:') throw bad(`must be ${TWILIO_SHAPE}`);
    // The token travels in every request: in clear text only to this machine.
    if (!secure && !LOOPBACK.test(url.hostname)) throw bad('must use https:// (http:// is allowed on loopback only)');
    if (url.hash !== '') throw bad(`must be ${TWILIO_SHAPE}`);
    const accountSid = decode(url.username, bad);
    const authToken = decode(url.password, bad);
    if (!ACCOUNT_SID.test(accountSid)) throw bad('must carry the account SID ("AC" and 32 hex digits) as its user');
    if (authToken === '') throw bad('must carry the auth token as its password');
    return {
      accountSid,
      authToken,
      apiBaseUrl: `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`,
      ...senders(url.searchParams, bad),
    };
  });
}

/** The per-URL sender overrides of a Twilio failover entry. */
function senders(query: URLSearchParams, bad: (problem: string) => ConfigError): Partial<TwilioOptions> {
  const rules: Record<string, [RegExp, string]> = {
    smsFrom: [E164, 'an E.164 number like +15551234567 (write + as %2B)'],
    messagingServiceSid: [SERVICE_SID, '"MG" followed by 32 hex digits'],
    whatsappFrom: [E164, 'an E.164 number without the whatsapp: prefix (write + as %2B)'],
  };
  const found: Record<string, string> = {};
  for (const [key, value] of query) {
    const rule = rules[key];
    if (!rule) throw bad(`has an unknown query parameter "${key}" (known: ${Object.keys(rules).join(', ')})`);
    if (key in found) throw bad(`sets ${key} twice`);
    if (!rule[0].test(value)) throw bad(`${key} must be ${rule[1]}`);
    found[key] = value;
  }
  return found;
}

/** The non-blank entries of a comma-separated list; undefined when the variable is unset or blank. */
function splitList(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
}

function parseUrl(entry: string, bad: (problem: string) => ConfigError, shape: string): URL {
  try {
    return new URL(entry);
  } catch {
    throw bad(`is not a URL: it must be ${shape}`);
  }
}

function decode(component: string, bad: (problem: string) => ConfigError): string {
  try {
    return decodeURIComponent(component);
  } catch {
    throw bad('has a malformed percent-encoding in its user or password');
  }
}
