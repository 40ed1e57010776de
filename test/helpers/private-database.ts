import path from 'node:path';
import { localServices, RestartableService, type ServiceHandle } from './restartable-service.js';

/**
 * A FerretDB of the test's own, which the test may stop and start again
 * (database outages). Always FerretDB, even when MONGODB_URI names a real
 * MongoDB: a test must never stop a server it did not start.
 */
export class PrivateDatabase extends RestartableService {
  static async start(): Promise<PrivateDatabase> {
    const { port, root } = await RestartableService.allocate('db');
    const database = new PrivateDatabase(port, root);
    await database.up();
    return database;
  }

  /** Connection string for one database on this server. */
  uri(database: string): string {
    return `mongodb://127.0.0.1:${this.port}/${database}`;
  }

  protected launch(): Promise<ServiceHandle> {
    return localServices.ensureDatabase({
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
  }
}
