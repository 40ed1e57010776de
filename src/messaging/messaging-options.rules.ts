import { Logger } from '@nestjs/common';
import { EXTENSION_PATTERN, EXTENSION_RULE, normalizeExtension } from './common/attachment-rules.js';
import { isWebhookUrl, WEBHOOK_URL_RULE } from './status-webhooks/webhook-target.js';

// The building blocks of the options' validation (messaging-options.validation.ts,
// messaging-extras.validation.ts): rules that say why a value is wrong, and Section, which collects
// the problems of one object under its path.

export type UnknownRecord = Record<string, unknown>;
/** Returns why the value is wrong, or undefined when it is fine. */
export type Rule = (value: unknown) => string | undefined;

const logger = new Logger('MessagingModule');

export const text: Rule = (v) => (typeof v === 'string' && v.trim() !== '' ? undefined : 'must be a non-empty string');
export const bool: Rule = (v) => (typeof v === 'boolean' ? undefined : 'must be true or false');
export const integer =
  (min: number, max = Number.MAX_SAFE_INTEGER): Rule =>
  (v) =>
    Number.isInteger(v) && (v as number) >= min && (v as number) <= max
      ? undefined
      : `must be an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}`}`;
export const matching =
  (pattern: RegExp, description: string): Rule =>
  (v) =>
    typeof v === 'string' && pattern.test(v) ? undefined : `must be ${description}`;
export const httpUrl: Rule = (v) => {
  if (typeof v !== 'string') return 'must be an http(s) URL';
  try {
    const { protocol } = new URL(v);
    return protocol === 'http:' || protocol === 'https:' ? undefined : 'must be an http(s) URL';
  } catch {
    return 'must be an http(s) URL';
  }
};
export const positive: Rule = (v) =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? undefined : 'must be a positive number';
export const guard: Rule = (v) =>
  typeof v === 'function' || (isRecord(v) && typeof v['canActivate'] === 'function')
    ? undefined
    : 'must be a guard class or an object with canActivate()';

export const extensionList: Rule = (v) =>
  Array.isArray(v) && v.every((entry) => typeof entry === 'string' && EXTENSION_PATTERN.test(normalizeExtension(entry)))
    ? undefined
    : `must be a list of extensions, each ${EXTENSION_RULE}`;

export function isRecord(value: unknown): value is UnknownRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects the problems of one object: `check('port', rule)` validates `path.port`. */
export class Section {
  constructor(
    private readonly value: UnknownRecord,
    private readonly path: string,
    private readonly problems: string[],
  ) {}

  check(key: string, rule: Rule, required = false): void {
    const value = this.value[key];
    if (value === undefined) {
      if (required) this.problems.push(`${this.name(key)} is required`);
      return;
    }
    const problem = rule(value);
    if (problem) this.problems.push(`${this.name(key)} ${problem}`);
  }

  has(key: string): boolean {
    return this.value[key] !== undefined;
  }

  problem(key: string, problem: string): void {
    this.problems.push(`${this.name(key)} ${problem}`);
  }

  /** Unknown keys are most often typos (`smpt`): warn instead of silently ignoring them. */
  warnUnknown(known: readonly string[]): void {
    for (const key of Object.keys(this.value)) {
      if (!known.includes(key)) logger.warn(`MessagingModule options: unknown option ${this.name(key)} is ignored`);
    }
  }

  name(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }
}

/** Runs `validate` on `value[key]` when it is present, after checking it is an object. */
export function nested(parent: Section, value: UnknownRecord, key: string, problems: string[], validate: (s: Section) => void) {
  const child = value[key];
  if (child === undefined) return;
  if (!isRecord(child)) {
    problems.push(`${parent.name(key)} must be an object`);
    return;
  }
  validate(new Section(child, parent.name(key), problems));
}

/**
 * Validates a failover list `value[key]` when present: a non-empty array
 * of objects, each checked by `validate` as `key[i]`, and only beside
 * `value[primary]` (the list is tried after it).
 */
export function list(parent: Section, value: UnknownRecord, key: string, primary: string, problems: string[], validate: (s: Section) => void) {
  const entries = value[key];
  if (entries === undefined) return;
  if (!Array.isArray(entries) || entries.length === 0) {
    problems.push(`${parent.name(key)} must be a non-empty array`);
    return;
  }
  if (value[primary] === undefined) problems.push(`${parent.name(key)} requires ${parent.name(primary)} (it is tried after it)`);
  entries.forEach((entry: unknown, index) => {
    const path = `${parent.name(key)}[${index}]`;
    if (isRecord(entry)) validate(new Section(entry, path, problems));
    else problems.push(`${path} must be an object`);
  });
}

/** A redis:// or rediss:// URL (the only schemes ioredis and BullMQ take). */
export function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export function redisUrl(value: unknown): string | undefined {
  return typeof value === 'string' && isRedisUrl(value) ? undefined : 'must be a redis:// or rediss:// URL';
}

/** A non-empty list of receivers; the bad entry is named by its place, not echoed (a URL may hold credentials). */
export function webhookUrls(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return 'must be a non-empty array of URLs';
  const bad = value.findIndex((url) => typeof url !== 'string' || !isWebhookUrl(url));
  return bad < 0 ? undefined : `[${bad}] ${WEBHOOK_URL_RULE}`;
}

/** Letters, digits, `-`, `_`, `.`: a key prefix must not smuggle Redis glob or separator characters. */
export function keyPrefix(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(value)
    ? undefined
    : 'must be 1 to 64 letters, digits, ".", "_" or "-"';
}
