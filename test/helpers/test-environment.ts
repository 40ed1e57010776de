import { startApp, type RunningApp } from './app-process.js';
import { dropTestDatabase, testDatabaseUri } from './database.js';
import { FakeTwilio } from './fake-twilio.js';
import { MessageLogReader } from './message-log-reader.js';
import { sharedRedisUrl, uniqueKeyPrefix } from './private-redis.js';
import { LocalRedisCluster } from './redis-cluster.js';
import { LocalRedisSentinel } from './redis-sentinel.js';
import { SmtpSink, type SmtpSinkOptions } from './smtp-sink.js';

/** The senders and From address every spec uses unless it says otherwise. */
export const TEST_SENDERS = {
  EMAIL_FROM: 'FluxKit <no-reply@fluxkit.test>',
  TWILIO_SMS_FROM: '+15005550006',
  TWILIO_WHATSAPP_FROM: '+15005550007',
} as const;

export interface TestEnvironmentOptions {
  /** Names the spec's own database (and Redis key prefix). */
  name: string;
  /** Start an SMTP sink and point the email channel at it. */
  smtp?: boolean | SmtpSinkOptions;
  /** Start the Twilio-compatible server and configure the SMS and WhatsApp senders on it. */
  twilio?: boolean;
  /**
   * Give the apps a Redis under a key prefix of this spec's own: `true` the suite's (REDIS_URL),
   * `'cluster'` a 3-master Redis Cluster of the spec's own (REDIS_CLUSTER_NODES), `'sentinel'` a primary,
   * a replica and three Sentinels of the spec's own (REDIS_SENTINELS).
   */
  redis?: boolean | 'cluster' | 'sentinel';
  /**
   * Keep the rate limit at the app's default (100 per minute). Otherwise it is lifted, since most specs
   * send more than that and test something else.
   */
  throttle?: boolean;
}

/**
 * What an end-to-end spec runs against, set up and torn down by Jest hooks: the spec's own database, a
 * log reader on it, the edge fakes it asks for, and the built app started with the variables that point
 * at them (`startApp`, any number of times; each is stopped after the spec). The fakes are reset after
 * each test.
 *
 *   const env = testEnvironment({ name: 'sms', twilio: true });
 *   beforeAll(async () => { app = await env.startApp({ TWILIO_MAX_RETRIES: '0' }); });
 */
export class TestEnvironment {
  readonly databaseUri: string;
  private readonly apps: RunningApp[] = [];
  private readonly keyPrefix: string;
  private smtpSink?: SmtpSink;
  private twilioServer?: FakeTwilio;
  private reader?: MessageLogReader;
  private redisCluster?: LocalRedisCluster;
  private redisSentinel?: LocalRedisSentinel;

  constructor(private readonly options: TestEnvironmentOptions) {
    this.databaseUri = testDatabaseUri(options.name);
    this.keyPrefix = uniqueKeyPrefix(options.name);
  }

  get sink(): SmtpSink {
    if (!this.smtpSink) throw new Error(`${this.options.name}: no SMTP sink (testEnvironment({ smtp: true }))`);
    return this.smtpSink;
  }

  get twilio(): FakeTwilio {
    if (!this.twilioServer) throw new Error(`${this.options.name}: no Twilio server (testEnvironment({ twilio: true }))`);
    return this.twilioServer;
  }

  get cluster(): LocalRedisCluster {
    if (!this.redisCluster) throw new Error(`${this.options.name}: no Redis Cluster (testEnvironment({ redis: 'cluster' }))`);
    return this.redisCluster;
  }

  get sentinel(): LocalRedisSentinel {
    if (!this.redisSentinel) throw new Error(`${this.options.name}: no Sentinel setup (testEnvironment({ redis: 'sentinel' }))`);
    return this.redisSentinel;
  }

  /** REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS + REDIS_SENTINEL_NAME, and the key prefix. */
  private redisEnv(): Record<string, string> {
    const { redis } = this.options;
    if (!redis) return {};
    const where = this.redisCluster
      ? { REDIS_CLUSTER_NODES: this.redisCluster.nodeList }
      : this.redisSentinel
        ? this.redisSentinel.env()
        : { REDIS_URL: sharedRedisUrl() };
    return { ...where, REDIS_KEY_PREFIX: this.keyPrefix };
  }

  get logs(): MessageLogReader {
    if (!this.reader) throw new Error(`${this.options.name}: the environment is not set up yet (use it inside a hook or test)`);
    return this.reader;
  }

  /** The variables that point an app at this environment, before a spec's own. */
  env(): Record<string, string> {
    const { smtpSink, twilioServer, options } = this;
    return {
      MONGODB_URI: this.databaseUri,
      ...(options.throttle ? {} : { THROTTLE_LIMIT: '100000' }),
      ...(smtpSink ? { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtpSink.port), EMAIL_FROM: TEST_SENDERS.EMAIL_FROM } : {}),
      ...(twilioServer
        ? { ...twilioServer.env(), TWILIO_SMS_FROM: TEST_SENDERS.TWILIO_SMS_FROM, TWILIO_WHATSAPP_FROM: TEST_SENDERS.TWILIO_WHATSAPP_FROM }
        : {}),
      ...this.redisEnv(),
    };
  }

  /** Starts the built app on this environment; `overrides` win (undefined unsets a variable). */
  async startApp(overrides: Record<string, string | undefined> = {}): Promise<RunningApp> {
    const app = await startApp({ ...this.env(), ...overrides });
    this.apps.push(app);
    return app;
  }

  async setUp(): Promise<void> {
    const { smtp, twilio, redis } = this.options;
    if (redis === 'cluster') this.redisCluster = await LocalRedisCluster.start();
    if (redis === 'sentinel') this.redisSentinel = await LocalRedisSentinel.start();
    if (smtp) this.smtpSink = await SmtpSink.start(smtp === true ? undefined : smtp);
    if (twilio) this.twilioServer = await FakeTwilio.start();
    this.reader = await MessageLogReader.open(this.databaseUri);
  }

  reset(): void {
    this.smtpSink?.reset();
    this.twilioServer?.reset();
  }

  async tearDown(): Promise<void> {
    await Promise.all(this.apps.splice(0).map((app) => app.stop()));
    await this.reader?.close();
    await this.twilioServer?.stop();
    await this.smtpSink?.stop();
    await this.redisCluster?.destroy();
    await this.redisSentinel?.destroy();
    await dropTestDatabase(this.databaseUri);
  }
}

/** A TestEnvironment wired to the enclosing Jest block's hooks. */
export function testEnvironment(options: TestEnvironmentOptions): TestEnvironment {
  const environment = new TestEnvironment(options);
  beforeAll(() => environment.setUp());
  afterEach(() => environment.reset());
  afterAll(() => environment.tearDown());
  return environment;
}
