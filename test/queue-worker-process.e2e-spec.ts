import type { RunningApp } from './helpers/app-process.js';
import { testEnvironment } from './helpers/test-environment.js';
import { faults } from './helpers/fake-twilio.js';
import { request } from './helpers/http.js';
import { bearer } from './helpers/tokens.js';
import { runWorkerExpectingExit, startWorker, type RunningWorker } from './helpers/worker-process.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A job whose worker died is recovered once its lock lapses (15 s) and a stalled-job check runs (every 5 s). */
const RECOVERY_TIMEOUT_MS = 60_000;

/**
 * The API with QUEUE_WORKERS=false only enqueues; `node dist/worker.js`
 * processes deliver. Workers are killed (SIGKILL) in the middle of a send to
 * check what the next worker does with the message.
 */
describe('standalone worker (node dist/worker.js)', () => {
  const environment = testEnvironment({ name: 'queue-worker', smtp: true, twilio: true, redis: true, throttle: true });
  let app: RunningApp;
  /** The API's and the workers' variables. */
  let env: Record<string, string>;
  const workers: RunningWorker[] = [];

  beforeAll(async () => {
    // No WhatsApp sender: a channel without a provider must still be refused at once.
    env = Object.fromEntries(Object.entries(environment.env()).filter(([name]) => name !== 'TWILIO_WHATSAPP_FROM'));
    env.EMAIL_FROM = 'no-reply@fluxkit.test';
    app = await environment.startApp({ ...env, TWILIO_WHATSAPP_FROM: undefined, QUEUE_WORKERS: 'false' });
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop('SIGKILL')));
    // Again after the workers are gone: one killed mid-send may have reached the fakes after the first reset.
    environment.reset();
  });

  const worker = async () => {
    const started = await startWorker(env);
    workers.push(started);
    return started;
  };
  const send = (path: string, body: unknown) =>
    request<Record<string, unknown>>(`${app.url}/messaging${path}`, { headers: { ...bearer({ sub: 'worker-test' }), prefer: 'respond-async' }, body });

  it('the API only enqueues; a worker process delivers, and exits 0 on SIGTERM', async () => {
    const accepted = await send('/email', { to: 'queued@example.com', subject: 'Waits for a worker', body: '<p>x</p>' });
    expect(accepted.status).toBe(202);
    const id = String(accepted.body.messageId);
    await sleep(1_000);
    expect(await environment.logs.byId(id)).toMatchObject({ status: 'queued' });
    expect(environment.sink.messages).toHaveLength(0);

    const running = await worker();
    const row = await environment.logs.waitFor(id, (r) => r.status === 'sent');
    const [received] = await environment.sink.waitForMessages(1);
    expect(received.mail.messageId).toBe(row.messageId);
    expect(await running.stop('SIGTERM')).toBe(0);
    expect(running.output()).toContain('Closed');
  });

  it('still answers request errors at once: no provider for a channel is 400 with nothing logged', async () => {
    const before = await environment.logs.count();
    const response = await send('/whatsapp', { to: '+15551236001', body: 'x' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'PROVIDER_NOT_CONFIGURED', details: { channel: 'whatsapp' } } });
    expect(await environment.logs.count()).toBe(before);
  });

  it('lets a job in progress finish on SIGTERM before exiting', async () => {
    const running = await worker();
    environment.twilio.failNext(faults.slow(1_500));
    const accepted = await send('/sms', { to: '+15551236002', body: 'finish me' });
    await environment.twilio.waitForRequests(1);
    expect(await running.stop('SIGTERM')).toBe(0);
    expect(await environment.logs.byId(String(accepted.body.messageId))).toMatchObject({ status: 'sent' });
    expect(environment.twilio.requestCount('messages')).toBe(1);
  });

  it(
    'an email whose worker was killed mid-send is sent again by another worker with the same Message-ID, delivered once',
    async () => {
      const first = await worker();
      const held = environment.sink.holdNextData();
      const accepted = await send('/email', { to: 'once@example.com', subject: 'Exactly once', body: '<p>once</p>' });
      const id = String(accepted.body.messageId);
      await held.reached;
      await first.stop('SIGKILL');

      await worker();
      const row = await environment.logs.waitFor(id, (r) => r.status === 'sent', RECOVERY_TIMEOUT_MS);
      const delivered = environment.sink.messages.filter((m) => m.mail.messageId === row.messageId);
      expect(row.messageId).toBe(`<${id}@fluxkit.test>`);
      expect(delivered).toHaveLength(1);
      expect(environment.sink.messages).toHaveLength(1);
      // The interrupted copy reached the server but was never acknowledged: the same message.
      expect(environment.sink.unacknowledged.map((m) => m.mail.messageId)).toEqual([row.messageId]);
    },
    RECOVERY_TIMEOUT_MS + 30_000,
  );

  it(
    'an SMS whose worker was killed mid-send is not sent again: the row fails as outcome unknown',
    async () => {
      const first = await worker();
      environment.twilio.failNext(faults.slow(Infinity));
      const accepted = await send('/sms', { to: '+15551236003', body: 'at most once' });
      await environment.twilio.waitForRequests(1);
      await first.stop('SIGKILL');

      await worker();
      const row = await environment.logs.waitFor(String(accepted.body.messageId), (r) => r.status === 'failed', RECOVERY_TIMEOUT_MS);
      expect(row.error).toEqual({
        code: 'OUTCOME_UNKNOWN',
        message: 'outcome unknown: the worker stopped mid-send; not resent to avoid a duplicate',
      });
      await sleep(500);
      expect(environment.twilio.requestCount('messages')).toBe(1);
    },
    RECOVERY_TIMEOUT_MS + 30_000,
  );

  it('refuses to start without REDIS_URL, naming it', async () => {
    const withoutRedis = Object.fromEntries(Object.entries(env).filter(([key]) => key !== 'REDIS_URL'));
    const exited = await runWorkerExpectingExit(withoutRedis);
    expect(exited.code).toBe(1);
    expect(exited.output).toContain('Configuration error: REDIS_URL is required to run delivery workers');
  });
});
