import mongoose from 'mongoose';
import { runAppExpectingExit, startApp, type RunningApp } from './helpers/app-process.js';
import { dropTestDatabase, isFerretDB, testDatabaseUri } from './helpers/database.js';
import { request } from './helpers/http.js';
import { bearer } from './helpers/tokens.js';
import { jsonLines } from './helpers/log-lines.js';

/** The messages of the app's warning lines (JSON lines), one per line. */
const warnings = (output: string) =>
  jsonLines(output)
    .filter((line) => line.level === 'warn')
    .map((line) => String(line.msg))
    .join('\n');

const READY = /Message log indexes ready: (\d+) of (\d+)/;
const INDEX_TIMEOUT_MS = 20_000;

/** The key patterns GET /messaging/logs relies on (see message-log.schema.ts). */
const QUERY_INDEXES = [
  { createdAt: -1, _id: -1 },
  { tenant: 1, createdAt: -1, _id: -1 },
  { tenant: 1, channel: 1, createdAt: -1, _id: -1 },
  { tenant: 1, channel: 1, status: 1, createdAt: -1, _id: -1 },
  { tenant: 1, status: 1, createdAt: -1, _id: -1 },
  { tenant: 1, to: 1, createdAt: -1, _id: -1 },
  { tenant: 1, template: 1, createdAt: -1, _id: -1 },
  { messageId: 1 },
  { tenant: 1, direction: 1, createdAt: -1, _id: -1 },
];

interface IndexInfo {
  name: string;
  key: Record<string, number>;
  expireAfterSeconds?: number;
}

async function indexesOf(uri: string): Promise<IndexInfo[]> {
  const connection = await mongoose.createConnection(uri).asPromise();
  try {
    return (await connection.collection('message_logs').indexes()) as IndexInfo[];
  } finally {
    await connection.close();
  }
}

/** Resolves with the app's output once it has reported its indexes (they are built in the background). */
async function indexesReported(app: RunningApp): Promise<string> {
  const deadline = Date.now() + INDEX_TIMEOUT_MS;
  while (!READY.test(app.output())) {
    if (Date.now() > deadline) throw new Error(`indexes never reported:\n${app.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return app.output();
}

const keysOf = (indexes: IndexInfo[]) => indexes.map((index) => JSON.stringify(index.key));

describe('message log indexes', () => {
  const uris: string[] = [];
  const apps: RunningApp[] = [];
  const freshUri = (label: string) => {
    const uri = testDatabaseUri(`logs_indexes_${label}`);
    uris.push(uri);
    return uri;
  };
  const start = async (env: Record<string, string>) => {
    const app = await startApp(env);
    apps.push(app);
    return app;
  };

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    for (const uri of uris) await dropTestDatabase(uri);
  });

  it('are created at startup: one per documented filter, led by the tenant, each ending with the newest-first sort', async () => {
    const uri = freshUri('default');
    const app = await start({ MONGODB_URI: uri });
    expect(READY.exec(await indexesReported(app))?.slice(1)).toEqual(['9', '9']);
    const keys = keysOf(await indexesOf(uri));
    for (const pattern of QUERY_INDEXES) expect(keys).toContain(JSON.stringify(pattern));
    expect((await indexesOf(uri)).some((index) => index.expireAfterSeconds !== undefined)).toBe(false);
  });

  it('LOG_RETENTION_DAYS adds a TTL index on createdAt, or (FerretDB) warns and keeps serving', async () => {
    const uri = freshUri('ttl');
    const app = await start({ MONGODB_URI: uri, LOG_RETENTION_DAYS: '30' });
    const output = await indexesReported(app);
    const ttl = (await indexesOf(uri)).find((index) => index.expireAfterSeconds !== undefined);
    if (isFerretDB()) {
      expect(warnings(output)).toMatch(/Log retention of 30 days is not applied/);
      expect(ttl).toBeUndefined();
    } else {
      expect(ttl).toMatchObject({ key: { createdAt: 1 }, expireAfterSeconds: 30 * 86_400 });
    }
    const response = await request(`${app.url}/messaging/logs`, { headers: bearer() });
    expect(response.status).toBe(200);
    expect(app.child.exitCode).toBeNull();
  });

  it('a refused index is a warning, not a crash: the app boots and serves', async () => {
    const uri = freshUri('conflict');
    // Same keys under another name: creating ours fails ("already exists with a different name").
    const connection = await mongoose.createConnection(uri).asPromise();
    await connection.collection('message_logs').createIndex({ tenant: 1, channel: 1, createdAt: -1, _id: -1 }, { name: 'someone_elses' });
    await connection.close();
    const app = await start({ MONGODB_URI: uri });
    const output = await indexesReported(app);
    expect(warnings(output)).toMatch(/Could not create message log index \{"tenant":1,"channel":1,"createdAt":-1,"_id":-1\}/);
    expect(warnings(output)).toMatch(/Message log indexes ready: 8 of 9/);
    const response = await request(`${app.url}/messaging/logs?channel=email`, { headers: bearer() });
    expect(response.status).toBe(200);
    expect(app.child.exitCode).toBeNull();
  });

  it.each(['0', '-3', '1.5', 'forever'])('LOG_RETENTION_DAYS=%s stops the process at boot, naming the variable', async (value) => {
    const result = await runAppExpectingExit({ MONGODB_URI: freshUri('bad_retention'), LOG_RETENTION_DAYS: value });
    expect(result.code).toBe(1);
    expect(result.output).toContain('LOG_RETENTION_DAYS');
  });
});
