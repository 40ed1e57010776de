import type { MessagingModuleExtras } from './messaging-options.interface.js';
import { CHANNEL_NAMES } from './common/channel-names.js';
import { bool, isRecord, nested, Section, text, type Rule, type UnknownRecord } from './messaging-options.rules.js';
import { MessagingOptionsError } from './messaging-options.validation.js';

const ROUTE_SEGMENTS = /^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/;

/** Validates the import-time extras, synchronously, in `forRoot`/`forRootAsync`. */
export function validateMessagingExtras(extras: MessagingModuleExtras): void {
  const problems: string[] = [];
  const root = new Section(extras as UnknownRecord, '', problems);
  root.check('connectionName', text);
  root.check('controllers', bool);
  root.check('metricsRoute', bool);
  root.check('console', bool);
  root.check('routePrefix', (v) =>
    isRoutePrefix(v) ? undefined : 'must be a URL path like "messaging" or "api/messaging"',
  );
  nested(root, extras as UnknownRecord, 'providers', problems, (s) => {
    s.warnUnknown(CHANNEL_NAMES);
    for (const channel of CHANNEL_NAMES) s.check(channel, providerShape);
  });
  if (problems.length > 0) throw new MessagingOptionsError(problems);
}

/** Plain path segments (no `.`/`..`, no query, no parameters); `''` mounts at the root. */
function isRoutePrefix(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const path = value.replace(/^\/+|\/+$/g, '');
  if (path === '') return true;
  return ROUTE_SEGMENTS.test(path) && path.split('/').every((segment) => segment !== '.' && segment !== '..');
}

/** A class (checked once Nest has built it) or an instance with `name`, `send()` and `verify()`; or a failover list of them. */
const providerShape: Rule = (v) => {
  if (Array.isArray(v)) return providerListProblem(v);
  if (typeof v === 'function') return undefined;
  return isProviderInstance(v) ? undefined : 'must be a provider class or an object with name, send() and verify()';
};

/** A non-empty list of providers, each a class or an instance, instances' names unique. */
function providerListProblem(entries: unknown[]): string | undefined {
  if (entries.length === 0) return 'must list at least one provider';
  const bad = entries.findIndex((entry) => typeof entry !== 'function' && !isProviderInstance(entry));
  if (bad >= 0) return `[${bad}] is not a provider class or an object with name, send() and verify()`;
  const names = entries.filter(isProviderInstance).map((entry) => (entry as { name: string }).name);
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  return twice === undefined ? undefined : `names "${twice}" twice: provider names must be unique`;
}

/** True when the value has what every channel provider needs. */
export function isProviderInstance(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value['name'] === 'string' &&
    value['name'] !== '' &&
    typeof value['send'] === 'function' &&
    typeof value['verify'] === 'function'
  );
}

