import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** What scripts/local-services.cjs answers for a service it started. */
export interface ServiceHandle {
  port: number;
  pid?: number;
  started: boolean;
}

export interface LocalServices {
  findFreePort(): Promise<number>;
  isPortOpen(port: number, host?: string): Promise<boolean>;
  ensureDatabase(options: Record<string, unknown>): Promise<ServiceHandle>;
  ensureRedis(options: Record<string, unknown>): Promise<ServiceHandle>;
  stopStarted(handles: ServiceHandle[]): Promise<string[]>;
}

export const localServices = createRequire(import.meta.url)('../../scripts/local-services.cjs') as LocalServices;

/**
 * A server of the test's own on a fixed free port, which the test may stop and start again (outages):
 * `down()` drops its connections and refuses new ones, `up()` brings it back on the same port and
 * folder. The suite's shared services are never stopped; a test stops only what it started.
 */
export abstract class RestartableService {
  private handle?: ServiceHandle;

  protected constructor(
    protected readonly port: number,
    /** A temporary folder of this server's own (data, logs), removed by destroy(). */
    protected readonly root: string,
  ) {}

  /** A free port and a fresh folder for a new server of this kind. */
  protected static async allocate(label: string): Promise<{ port: number; root: string }> {
    const root = mkdtempSync(path.join(tmpdir(), `fluxkit-private-${label}-`));
    return { port: await localServices.findFreePort(), root };
  }

  /** Starts the server through scripts/local-services.cjs; resolves once it accepts connections. */
  protected abstract launch(): Promise<ServiceHandle>;

  /** Starts (or restarts, on the same port and folder) the server. */
  async up(): Promise<void> {
    this.handle = await this.launch();
    if (!this.handle.started) throw new Error(`port ${this.port} was already in use`);
  }

  /** Ends the server with SIGKILL, as a crash would: no shutdown, no last words to clients or replicas. */
  kill(): void {
    if (this.handle?.pid) process.kill(this.handle.pid, 'SIGKILL');
    this.handle = undefined;
  }

  async down(): Promise<void> {
    if (this.handle) await localServices.stopStarted([this.handle]);
    this.handle = undefined;
  }

  async destroy(): Promise<void> {
    await this.down();
    rmSync(this.root, { recursive: true, force: true });
  }
}
