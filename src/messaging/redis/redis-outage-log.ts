import { redactSecrets } from '../errors/redact.js';

/** The two logger methods the outage log uses (Nest's Logger has them; specs pass a recorder). */
export interface OutageLogger {
  warn(message: string): void;
  log(message: string): void;
}

/**
 * One warning when Redis stops answering and one line when it answers
 * again, however many requests or reconnection attempts happen in between:
 * a dead Redis during a traffic peak must not flood the log. Error texts are
 * redacted, since drivers sometimes echo the URL (with its password) they
 * failed on.
 */
export class RedisOutageLog {
  private down = false;
  private silenced = false;

  constructor(
    private readonly logger: OutageLogger,
    /** `redis://host:port/db`, never credentials (see describeRedisUrl). */
    private readonly target: string,
    /** What the app does meanwhile, e.g. "rate limits are counted by each instance alone". */
    private readonly meanwhile: string,
    /** What works again once it answers, e.g. "rate limits are shared across instances again". */
    private readonly restored: string,
  ) {}

  get isDown(): boolean {
    return this.down;
  }

  failed(error: unknown): void {
    if (this.down || this.silenced) return;
    this.down = true;
    const reason = redactSecrets(error instanceof Error ? error.message : String(error));
    this.logger.warn(`Redis at ${this.target} is unreachable (${reason}): ${this.meanwhile} until it answers`);
  }

  recovered(): void {
    if (!this.down || this.silenced) return;
    this.down = false;
    this.logger.log(`Redis at ${this.target} answers again: ${this.restored}`);
  }

  /** A deliberate close (shutdown) is not an outage. */
  silence(): void {
    this.silenced = true;
  }
}

/**
 * The URL without user and password, for logs and messages:
 * `rediss://:secret@cache:6380/2` -> `rediss://cache:6380/2`.
 */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const port = parsed.port ? `:${parsed.port}` : '';
    const db = parsed.pathname && parsed.pathname !== '/' ? parsed.pathname : '';
    return `${parsed.protocol}//${parsed.hostname}${port}${db}`;
  } catch {
    return redactSecrets(url);
  }
}
