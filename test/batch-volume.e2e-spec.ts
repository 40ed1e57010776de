import type { RunningApp } from './helpers/app-process.js';
import { request } from './helpers/http.js';
import { parseExposition } from './helpers/prometheus-text.js';
import { testEnvironment } from './helpers/test-environment.js';
import { bearer } from './helpers/tokens.js';
import { startWorker, type RunningWorker } from './helpers/worker-process.js';

/**
 * Batches of 1,000 SMS: `npm run test:load` runs 20 (20,000 messages: 11.4 minutes at load average
 * 13 to 17 on the 2-core machine, delivery on FerretDB being most of it); inside `npm test` the
 * default is 2, to keep the suite short (BATCH_VOLUME_BATCHES sets it).
 */
const BATCHES = Number(process.env.BATCH_VOLUME_BATCHES ?? 2);
const BATCH_SIZE = 1_000;
const MESSAGES = BATCHES * BATCH_SIZE;
/** Batches in flight at once. */
const CONCURRENCY = 2;
/** A bound against hangs that grows with the count, never a performance claim: 40 ms a message. */
const TIMEOUT_MS = Math.max(300_000, MESSAGES * 40);

interface BatchAnswer {
  accepted: number;
  rejected: number;
  results: Array<{ index: number; messageId?: string; status?: string }>;
}

/**
 * Nothing lost, nothing twice, at volume: MESSAGES SMS handed over in batches of 1,000 to an API that
 * only enqueues (QUEUE_WORKERS=false), so rows and jobs are counted before anything is delivered; then
 * a worker process delivers them all. Rows = jobs = deliveries at the Twilio fake, each number once.
 */
describe(`batch volume: ${MESSAGES} SMS in batches of ${BATCH_SIZE}`, () => {
  const environment = testEnvironment({ name: 'batch-volume', twilio: true, redis: true });
  let app: RunningApp;
  let worker: RunningWorker | undefined;

  beforeAll(async () => {
    app = await environment.startApp({ QUEUE_WORKERS: 'false', THROTTLE_LIMIT: String(MESSAGES * 2) });
  });
  afterAll(async () => {
    await worker?.stop('SIGKILL');
  });

  const numberOf = (i: number) => `+1555${String(i).padStart(7, '0')}`;

  it(
    'writes one row and one job per message, then the worker delivers each exactly once',
    async () => {
      const headers = bearer({ sub: 'volume', expiresInSeconds: 7200 });
      const answers: BatchAnswer[] = [];
      let next = 0;
      const sender = async () => {
        while (next < BATCHES) {
          const batch = next++;
          const messages = Array.from({ length: BATCH_SIZE }, (_, i) => ({ to: numberOf(batch * BATCH_SIZE + i), body: `m${batch * BATCH_SIZE + i}` }));
          const response = await request<BatchAnswer>(`${app.url}/messaging/sms/batch`, { headers, body: { messages } });
          expect(response.status).toBe(202);
          answers.push(response.body);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, sender));

      expect(answers.map((a) => [a.accepted, a.rejected])).toEqual(Array.from({ length: BATCHES }, () => [BATCH_SIZE, 0]));
      const ids = answers.flatMap((a) => a.results.map((r) => r.messageId));
      expect(new Set(ids).size).toBe(MESSAGES);
      expect(await environment.logs.count({ requestedBy: 'volume', status: 'queued' })).toBe(MESSAGES);
      const metrics = parseExposition(await (await fetch(`${app.url}/messaging/metrics`)).text());
      expect(metrics.samples.find((s) => s.name === 'messaging_queue_depth')?.value).toBe(MESSAGES);

      worker = await startWorker({ ...environment.env(), QUEUE_CONCURRENCY: '50' });
      await environment.twilio.waitForRequests(MESSAGES, 'messages', TIMEOUT_MS);
      const delivered = environment.twilio.messageRequests().map((r) => r.fields['To']);
      expect(new Set(delivered).size).toBe(MESSAGES);
      expect(delivered).toHaveLength(MESSAGES);
      // The worker records each outcome after the provider answered: wait for the last rows.
      const deadline = Date.now() + 120_000;
      while ((await environment.logs.count({ requestedBy: 'volume', status: 'sent' })) < MESSAGES && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(await environment.logs.count({ requestedBy: 'volume', status: 'sent' })).toBe(MESSAGES);
      expect(await environment.logs.count({ requestedBy: 'volume' })).toBe(MESSAGES);
      // Nothing more arrives once every row is final.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(environment.twilio.requestCount('messages')).toBe(MESSAGES);
    },
    TIMEOUT_MS + 120_000,
  );
});
