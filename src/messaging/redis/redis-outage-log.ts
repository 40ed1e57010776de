import { errorMessage } from '../common/describe-error.js';
import { redactSecrets } from '../common/redact.js';

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
  private everConnected = false;
  private silenced = false;

  constructor(
    private readonly logger: OutageLogger,
    /** `redis://host:port/db`, never credentials (see describeRedisUrl). */
    private readonly target: string,
    /** What Redis gives, e.g. "rate limits are shared across instances". */
    private readonly working: string,
    /** What the app does without it, e.g. "rate limits are counted by each instance alone". */
    private readonly meanwhile: string,
  ) {}

  get isDown(): boolean {
    return this.down;
  }

  /** The client is connected: logged the first time, or as the end of an outage. */
  connected(): void {
    if (this.down) {
      this.recovered();
    } else if (!this.everConnected && !this.silenced) {
      this.logger.log(`Redis at ${this.target} connected: ${this.working}`);
    }
    this.everConnected = true;
  }

  failed(error: unknown): void {
    if (this.down || this.silenced) return;
    this.down = true;
    const reason = errorMessage(error);
    this.logger.warn(`Redis at ${this.target} is unreachable (${reason}): ${this.meanwhile} until it answers`);
  }

  /** A command succeeded: ends an outage, if there was one. */
  recovered(): void {
    if (!this.down || this.silenced) return;
    this.down = false;
    this.logger.log(`Redis at ${this.target} answers again: ${this.working} again`);
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
