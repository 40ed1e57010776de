import { startApp, type RunningApp } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { FakeTwilio } from './helpers/fake-twilio.js';
import { ensureSchemathesis, run } from './helpers/schemathesis.js';
import { SmtpSink } from './helpers/smtp-sink.js';
import { sharedRedisUrl, uniqueKeyPrefix } from './helpers/private-redis.js';
import { signToken } from './helpers/tokens.js';

/**
 * Contract fuzzing: schemathesis reads the running app's OpenAPI document and
 * sends generated requests, valid and invalid, to every operation with a
 * valid token. The providers are real local servers that accept everything,
 * so any 5xx (SEND_FAILED included) is a bug.
 *
 * FUZZ_EXAMPLES bounds the generated cases per operation and phase (default
 * 60: a few minutes on 2 cores); FUZZ_SEED changes the generated data.
 */
const EXAMPLES = process.env.FUZZ_EXAMPLES ?? '60';
const SEED = process.env.FUZZ_SEED ?? '20261128';
const FUZZ_TIMEOUT_MS = 840_000;

/** No 5xx, no undocumented status, answers match their schema and content type, invalid input refused. */
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
  'negative_data_rejection',
].join(',');

describe('OpenAPI contract fuzzing (schemathesis)', () => {
  const databaseUri = testDatabaseUri('contract-fuzz');
  let sink: SmtpSink;
  let twilio: FakeTwilio;
  let app: RunningApp;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    twilio = await FakeTwilio.start({ record: false });
    app = await startApp({
      MONGODB_URI: databaseUri,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(sink.port),
      EMAIL_FROM: 'fuzz@example.com',
      ...twilio.env(),
      TWILIO_SMS_FROM: '+15550000001',
      TWILIO_WHATSAPP_FROM: '+15550000002',
      // The fuzzer sends thousands of requests from one client: throttling is not what is tested here.
      THROTTLE_LIMIT: '1000000',
      // With the delivery queue, so Prefer: respond-async, sendAt and cancellation are exercised too.
      REDIS_URL: sharedRedisUrl(),
      REDIS_KEY_PREFIX: uniqueKeyPrefix('contract-fuzz'),
    });
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
    await twilio?.stop();
    await sink?.stop();
    await dropTestDatabase(databaseUri);
  });

  it('finds no server error, undocumented status or schema-breaking answer, and invalid input is refused', async () => {
    const schemathesis = await ensureSchemathesis();
    const token = signToken({ sub: 'fuzzer', expiresInSeconds: 3600 });
    const result = await run(
      schemathesis,
      [
        'run',
        `${app.url}/messaging/docs-json`,
        '--header',
        `Authorization: Bearer ${token}`,
        '--checks',
        CHECKS,
        '--max-examples',
        EXAMPLES,
        '--seed',
        SEED,
        // One worker by default: with two, schemathesis 4.32.5 on CPython 3.11 crashed (a Runtime
        // Error in hypothesis' lambda-source reading, "AST constructor recursion depth mismatch") once
        // two operations with the same path parameter (GET /logs/{id}, DELETE /messages/{id}) were
        // walked at once. One worker found the same (nothing) in about the same time.
        '--workers',
        process.env.FUZZ_WORKERS ?? '1',
        '--request-timeout',
        '30',
        '--suppress-health-check',
        'all',
      ],
      FUZZ_TIMEOUT_MS,
    );
    process.stdout.write(`${result.output.split('\n').slice(-40).join('\n')}\n`);
    if (result.code !== 0) throw new Error(`schemathesis found problems (exit ${String(result.code)}):\n${result.output}`);
    expect(result.output).toMatch(/Test cases:\s+\d+ generated, \d+ passed/);
    // The fuzzer reached the providers: valid sends were delivered, not refused.
    expect(sink.messages.length).toBeGreaterThan(0);
    expect(twilio.requestCount('messages')).toBeGreaterThan(0);
  }, FUZZ_TIMEOUT_MS + 60_000);
});
