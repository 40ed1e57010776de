import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** What scripts/local-services.cjs answers for a started service. */
interface ServiceHandle {
  uri: string;
  port: number;
  pid?: number;
  started: boolean;
}

interface LocalServices {
  findFreePort(): Promise<number>;
  ensureDatabase(options: Record<string, unknown>): Promise<ServiceHandle>;
  stopStarted(handles: ServiceHandle[]): Promise<string[]>;
}

const services = createRequire(import.meta.url)('../../scripts/local-services.cjs') as LocalServices;

/**
 * A FerretDB of the test's own, which the test may stop and start again
 * (database outages). Always FerretDB, even when MONGODB_URI names a real
 * MongoDB: a test must never stop a server it did not start.
 */
export class PrivateDatabase {
  private handle?: ServiceHandle;

  private constructor(
    private readonly port: number,
    private readonly root: string,
  ) {}

  static async start(): Promise<PrivateDatabase> {
    const root = mkdtempSync(path.join(tmpdir(), 'fluxkit-private-db-'));
    const database = new PrivateDatabase(await services.findFreePort(), root);
    await database.up();
    return database;
  }

  /** Connection string for one database on this server. */
  uri(database: string): string {
    return `mongodb://127.0.0.1:${this.port}/${database}`;
  }

  /** Starts (or restarts, on the same port and data) the server. */
  async up(): Promise<void> {
    this.handle = await services.ensureDatabase({
      port: this.port,
      ignoreEnv: true,
      dataDir: path.join(this.root, 'data'),
      stateDir: path.join(this.root, 'state'),
      logName: `ferretdb-private-${this.port}`,
      logLevel: 'warn',
      record: false,
      parentPid: process.pid,
      log: () => undefined,
    });
    if (!this.handle.started) throw new Error(`port ${this.port} was already in use`);
  }

  /** Stops the server: connections drop, new ones are refused. */
  async down(): Promise<void> {
    if (this.handle) await services.stopStarted([this.handle]);
    this.handle = undefined;
  }

  async destroy(): Promise<void> {
    await this.down();
    rmSync(this.root, { recursive: true, force: true });
  }
}
