import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import mongoose from 'mongoose';

/**
 * Test databases: one per test file, on the server in MONGODB_URI (a real MongoDB, or the
 * FerretDB started by test/setup/global-setup.cjs).
 *
 *   const uri = testDatabaseUri('messages');   // mongodb://127.0.0.1:PORT/t_messages_3f9a1c
 *   ...
 *   afterAll(() => dropTestDatabase(uri));
 */

const PREFIX = 't_';
const SUFFIX_HEX_CHARS = 6;
// MongoDB allows 63 bytes for a database name; FerretDB's SQLite backend the same.
const MAX_DB_NAME = 63;
const TEST_DB_NAME = /^t_[A-Za-z0-9_-]+_[0-9a-f]{6}$/;

interface SplitUri {
  prefix: string; // scheme, credentials and hosts: "mongodb://user:pw@h1:1,h2:2"
  database: string; // "" when none
  query: string; // without "?", "" when none
}

function splitUri(uri: string): SplitUri {
  const schemeEnd = uri.indexOf('://');
  if (schemeEnd < 0) throw new Error(`Not a MongoDB connection string: ${uri}`);
  const afterScheme = schemeEnd + 3;
  const rest = uri.slice(afterScheme);
  // Credentials must percent-encode "/", "?" and "@", so the first "/" or "?" ends the host list.
  const hostEnd = rest.search(/[/?]/);
  if (hostEnd < 0) return { prefix: uri, database: '', query: '' };
  const prefix = uri.slice(0, afterScheme + hostEnd);
  let tail = rest.slice(hostEnd);
  let database = '';
  if (tail.startsWith('/')) {
    const q = tail.indexOf('?');
    database = decodeURIComponent(q < 0 ? tail.slice(1) : tail.slice(1, q));
    tail = q < 0 ? '' : tail.slice(q);
  }
  return { prefix, database, query: tail.startsWith('?') ? tail.slice(1) : '' };
}

function baseUri(): string {
  const uri = process.env.MONGODB_URI;
  if (!uri) {
    throw new Error(
      'MONGODB_URI is not set. Run the tests through Jest with test/setup/global-setup.cjs as globalSetup ' +
        '(it starts FerretDB), or set MONGODB_URI to a MongoDB server.',
    );
  }
  return uri;
}

/** Turns a test file path or label into a database name fragment: "messages.e2e-spec.ts" -> "messages_e2e". */
function sanitize(name: string): string {
  const cleaned = basename(name)
    .replace(/\.(spec|test|e2e-spec|e2e)?\.?[cm]?[jt]sx?$/i, '')
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[_-]+|[_-]+$/g, '');
  const room = MAX_DB_NAME - PREFIX.length - 1 - SUFFIX_HEX_CHARS;
  return (cleaned || 'test').slice(0, room);
}

/**
 * Returns MONGODB_URI pointing at a fresh database for the calling test file: the name is
 * sanitized and gets a short random suffix, so parallel files and repeated runs never share data.
 * Query strings are kept (mongodb://h:p/?x=y -> mongodb://h:p/t_name_abc123?x=y). When the base URI
 * has credentials and names a database but no authSource, that database is kept as authSource.
 */
export function testDatabaseUri(name: string): string {
  const { prefix, database, query } = splitUri(baseUri());
  const dbName = `${PREFIX}${sanitize(name)}_${randomBytes(SUFFIX_HEX_CHARS / 2).toString('hex')}`;
  const params = new URLSearchParams(query);
  const hasCredentials = prefix.slice(prefix.indexOf('://') + 3).includes('@');
  let finalQuery = query;
  if (hasCredentials && database && !params.has('authSource')) {
    finalQuery = query ? `${query}&authSource=${encodeURIComponent(database)}` : `authSource=${encodeURIComponent(database)}`;
  }
  return `${prefix}/${dbName}${finalQuery ? `?${finalQuery}` : ''}`;
}

/** Name of the database a connection string points at ("" when none). */
export function databaseName(uri: string): string {
  return splitUri(uri).database;
}

/** True when the tests run against the FerretDB started by the Jest global setup. */
export function isFerretDB(): boolean {
  return process.env.MONGODB_IS_FERRETDB === 'true';
}

/** Drops a database made by testDatabaseUri(); refuses any other name. */
export async function dropTestDatabase(uri: string): Promise<void> {
  const name = databaseName(uri);
  if (!TEST_DB_NAME.test(name)) {
    throw new Error(`Refusing to drop "${name}": not a database created by testDatabaseUri()`);
  }
  const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    await connection.asPromise();
    await connection.dropDatabase();
  } finally {
    await connection.close();
  }
}
