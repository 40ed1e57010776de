import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config/environment.js';

/**
 * The docs are part of the product: every relative link in README.md and docs/ must lead somewhere (file
 * and heading), and every environment variable the standalone config reads must be in the configuration
 * table, and nothing more.
 */
const ROOT = process.cwd();
const DOCS = ['README.md', 'CONTRIBUTING.md', ...readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** Markdown without fenced code blocks (a link-like text in an example is not a link). */
function prose(file: string): string {
  return readFileSync(path.join(ROOT, file), 'utf8').replace(/^```[\s\S]*?^```/gm, '');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of prose(file).matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const slug = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

function relativeLinks(file: string): string[] {
  return [...prose(file).matchAll(/\]\(([^)\s]+)(?: "[^"]*")?\)/g)]
    .map((match) => match[1])
    .filter((target) => !/^[a-z][a-z+.-]*:/i.test(target));
}

/** Why a link does not resolve, or undefined. */
function brokenLink(file: string, target: string): string | undefined {
  const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
  const resolved = pathPart ? path.normalize(path.join(path.dirname(file), decodeURIComponent(pathPart))) : file;
  if (resolved.startsWith('..')) return 'points outside the repository';
  if (!existsSync(path.join(ROOT, resolved))) return `${resolved} does not exist`;
  if (anchor !== undefined && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor)) {
    return `${resolved} has no heading #${anchor}`;
  }
  return undefined;
}

describe('documentation links', () => {
  it('the README is short enough to read in five minutes (at most 15 KB)', () => {
    expect(readFileSync(path.join(ROOT, 'README.md')).length).toBeLessThanOrEqual(15 * 1024);
  });

  it.each(DOCS)('every relative link in %s resolves to a file and heading', (file) => {
    const broken = relativeLinks(file)
      .map((target) => ({ target, problem: brokenLink(file, target) }))
      .filter((link) => link.problem !== undefined);
    expect(broken).toEqual([]);
  });

  it('the anchor rule matches GitHub on the headings our links use', () => {
    const anchors = anchorsOf('docs/api.md');
    expect(anchors.has('post-messagingemail')).toBe(true);
    expect(anchors.has('delete-messagingmessagesid-cancel')).toBe(true);
    expect(brokenLink('README.md', 'docs/api.md#no-such-heading')).toBe('docs/api.md has no heading #no-such-heading');
    expect(brokenLink('README.md', 'docs/missing.md')).toBe('docs/missing.md does not exist');
  });
});

describe('configuration table', () => {
  /** The variables loadConfig reads, recorded through a proxy, with every feature switched on. */
  function variablesRead(): Set<string> {
    const read = new Set<string>();
    const full: Record<string, string> = {
      MONGODB_URI: 'mongodb://127.0.0.1:27017/db',
      JWT_SECRET: 'x'.repeat(32),
      JWT_ISSUER: 'issuer',
      JWT_AUDIENCE: 'audience',
      SMTP_HOST: '127.0.0.1',
      SMTP_USER: 'user',
      SMTP_PASS: 'pass',
      EMAIL_FROM: 'a@example.com',
      SMTP_FAILOVER_URLS: 'smtp://127.0.0.1:2525',
      TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'token',
      TWILIO_SMS_FROM: '+15005550006',
      TWILIO_WHATSAPP_FROM: '+15005550007',
      TWILIO_FAILOVER_URLS: `http://AC${'1'.repeat(32)}:token@127.0.0.1:9999`,
      REDIS_URL: 'redis://127.0.0.1:6379',
      LOG_RETENTION_DAYS: '30',
      WEBHOOK_URLS: 'https://hooks.example.com/in',
      WEBHOOK_SECRET: `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
    };
    const env = new Proxy(full, {
      get: (target, name) => {
        if (typeof name === 'string') read.add(name);
        return target[name as string];
      },
    });
    loadConfig(env, 'api');
    loadConfig(env, 'worker');
    return read;
  }

  /** Names in the first column of docs/configuration.md's table (`A`, `B` and `C` in one cell count each). */
  function documented(): Set<string> {
    const names = new Set<string>();
    for (const [, cell] of prose('docs/configuration.md').matchAll(/^\| *([^|]+?) *\|/gm)) {
      for (const [, name] of cell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.add(name);
    }
    return names;
  }

  it('lists every variable the config reads, and only those', () => {
    const read = [...variablesRead()].filter((name) => /^[A-Z][A-Z0-9_]*$/.test(name)).sort();
    expect(read.length).toBeGreaterThan(30);
    expect([...documented()].sort()).toEqual(read);
  });
});
