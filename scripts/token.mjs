#!/usr/bin/env node
/**
 * Prints an HS256 JWT for calling the API locally.
 *
 *   npm run -s token -- --sub NAME [--ttl 3600] [--iss ISSUER] [--aud AUDIENCE] [--scope "A B"] [--tenant T]
 *
 * Secret: JWT_SECRET from the environment, else .local/jwt-secret (written by `npm start`).
 * --iss / --aud default to JWT_ISSUER / JWT_AUDIENCE when those are set; exp = now + ttl seconds.
 * Only the token goes to stdout, e.g.  TOKEN=$(npm run -s token -- --sub alice)
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const jwt = require('jsonwebtoken');

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECRET_FILE = path.join(ROOT, '.local', 'jwt-secret');
const USAGE =
  'Usage: npm run -s token -- --sub NAME [--ttl SECONDS (default 3600)] [--iss ISSUER] [--aud AUDIENCE]' +
  ' [--scope "messaging:send messaging:logs:read"] [--tenant TENANT]';

function fail(message) {
  console.error(`token: ${message}`);
  process.exit(1);
}

function readSecret() {
  if (process.env.JWT_SECRET) return process.env.JWT_SECRET;
  let secret = '';
  try {
    secret = fs.readFileSync(SECRET_FILE, 'utf8').trim();
  } catch (err) {
    if (err.code !== 'ENOENT') fail(`cannot read ${SECRET_FILE}: ${err.message}`);
  }
  if (!secret) {
    fail(
      `no signing secret: JWT_SECRET is not set and ${path.relative(process.cwd(), SECRET_FILE)} does not exist or is empty.\n` +
        '       Run `npm start` once (it generates .local/jwt-secret), or set JWT_SECRET to the secret the server uses.',
    );
  }
  return secret;
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      sub: { type: 'string' },
      ttl: { type: 'string', default: '3600' },
      iss: { type: 'string' },
      aud: { type: 'string' },
      scope: { type: 'string' },
      tenant: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (err) {
  fail(`${err.message}\n${USAGE}`);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!values.sub) fail(`--sub is required\n${USAGE}`);
const ttl = Number(values.ttl);
if (!Number.isInteger(ttl) || ttl <= 0) fail(`--ttl must be a positive whole number of seconds (got ${JSON.stringify(values.ttl)})`);

const issuer = values.iss ?? (process.env.JWT_ISSUER || undefined);
const audience = values.aud ?? (process.env.JWT_AUDIENCE || undefined);

// Without --scope the token has no scope claim (every route of its own tenant unless AUTH_REQUIRE_SCOPES).
const claims = {
  ...(values.scope !== undefined ? { scope: values.scope } : {}),
  ...(values.tenant !== undefined ? { tenant: values.tenant } : {}),
};
const token = jwt.sign(claims, readSecret(), {
  algorithm: 'HS256',
  subject: values.sub,
  expiresIn: ttl,
  ...(issuer ? { issuer } : {}),
  ...(audience ? { audience } : {}),
});
process.stdout.write(`${token}\n`);
