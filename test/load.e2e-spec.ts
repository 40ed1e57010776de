import type { RunningApp } from './helpers/app-process.js';
import { testEnvironment } from './helpers/test-environment.js';
import { faults } from './helpers/fake-twilio.js';
import { request } from './helpers/http.js';
import { bearer } from './helpers/tokens.js';

/**
 * Load without loss: LOAD_SENDS sends at concurrency 100, round-robin over
 * email, SMS and WhatsApp, against the local SMTP server and fake Twilio.
 * Once clean, once with the providers failing 10% of calls at random.
 * `npm run test:load` runs 20,000 (about 10 minutes on FerretDB on a busy
 * 2-core machine, docs/reliability.md); inside `npm test` the default is 300,
 * to keep the suite short.
 */
const SENDS = Number(process.env.LOAD_SENDS ?? 300);
const CONCURRENCY = 100;
const FAILURE_RATE = 0.1;
const CHANNELS = ['email', 'sms', 'whatsapp'] as const;
/**
 * A bound against hangs that grows with the count (a slow database is not a
 * failure here): 75 ms per send is five times the slowest phase measured
 * (20,000 clean sends in 289 s at load average 12 on 2 cores).
 */
const TIMEOUT_MS = Math.max(300_000, SENDS * 75);

interface Outcome {
  index: number;
  channel: (typeof CHANNELS)[number];
  status: number;
  code?: string;
}

describe(`load: ${SENDS} sends at concurrency ${CONCURRENCY}`, () => {
  const environment = testEnvironment({ name: 'load', smtp: true, twilio: true });
  let app: RunningApp;

  beforeAll(async () => {
    app = await environment.startApp({
      TWILIO_RETRY_BACKOFF_MS: '20',
      THROTTLE_LIMIT: '1000000',
    });
  });

  /** Sends SENDS messages with CONCURRENCY workers; message i carries `${run}-${i}` in its subject/body and address. */
  async function runLoad(run: string): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    let next = 0;
    const headers = bearer({ sub: run, expiresInSeconds: 7200 });
    const worker = async () => {
      while (next < SENDS) {
        const index = next++;
        const channel = CHANNELS[index % CHANNELS.length] ?? 'sms';
        const id = `${run}-${index}`;
        const body =
          channel === 'email'
            ? { to: `${id}@example.com`, subject: id, body: `<p>${id}</p>` }
            : { to: '+14155550100', body: id };
        const response = await request<{ error?: { code: string } }>(`${app.url}/messaging/${channel}`, { headers, body });
        outcomes.push({ index, channel, status: response.status, code: response.body?.error?.code });
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(`[load] ${run}: ${SENDS} sends in ${seconds.toFixed(1)} s (${Math.round(SENDS / seconds)}/s)\n`);
    return outcomes;
  }

  /** Bodies/subjects the providers accepted for `run`, one entry per delivery. */
  function deliveries(run: string): string[] {
    const mails = environment.sink.messages.map((m) => m.mail.subject ?? '').filter((s) => s.startsWith(`${run}-`));
    const texts = environment.twilio
      .messageRequests()
      .filter((r) => r.outcome === 201)
      .map((r) => String(r.fields.Body))
      .filter((b) => b.startsWith(`${run}-`));
    return [...mails, ...texts];
  }

  /** The counts the assertions compare, printed for docs/reliability.md. */
  async function report(run: string, outcomes: Outcome[], delivered: string[]): Promise<void> {
    const count = (test: (o: Outcome) => boolean) => outcomes.filter(test).length;
    const rows = await environment.logs.count({ requestedBy: run });
    const sent = await environment.logs.count({ requestedBy: run, status: 'sent' });
    const failed = await environment.logs.count({ requestedBy: run, status: 'failed' });
    process.stdout.write(
      `[load] ${run}: ${count((o) => o.status === 200)} 2xx, ${count((o) => o.code === 'SEND_FAILED')} SEND_FAILED, ` +
        `${count((o) => o.status >= 500)} 5xx in all; ${delivered.length} provider receptions, ` +
        `${delivered.length - new Set(delivered).size} duplicates; ${rows} log rows (${sent} sent, ${failed} failed)\n`,
    );
  }

  it('answers every send 2xx, and log rows, provider receptions and 2xx answers are equal', async () => {
    const outcomes = await runLoad('clean');
    expect(outcomes).toHaveLength(SENDS);
    expect(outcomes.filter((o) => o.status >= 500)).toEqual([]);
    const ok = outcomes.filter((o) => o.status === 200).length;
    expect(ok).toBe(SENDS);
    await environment.sink.waitForMessages(Math.ceil(SENDS / 3), 60_000);
    const delivered = deliveries('clean');
    await report('clean', outcomes, delivered);
    expect(delivered).toHaveLength(ok);
    expect(new Set(delivered).size).toBe(ok);
    expect(await environment.logs.count({ requestedBy: 'clean' })).toBe(ok);
    expect(await environment.logs.count({ requestedBy: 'clean', status: 'sent' })).toBe(ok);
  }, TIMEOUT_MS);

  it('with 10% of provider calls failing at random: each failure is SEND_FAILED with a failed row, nothing is delivered twice', async () => {
    environment.sink.reset();
    environment.twilio.reset();
    // Email: 10% of recipients refused for good (550, never retried).
    for (let index = 0; index < SENDS; index += CHANNELS.length) {
      if (Math.random() < FAILURE_RATE) environment.sink.rejectRecipient(`faulty-${index}@example.com`, 550);
    }
    // Twilio: each call, retries included, answers 500 with probability 10% (retried by the app).
    for (let call = 0; call < SENDS; call += 1) {
      environment.twilio.failNext(Math.random() < FAILURE_RATE ? faults.serverError() : faults.slow(0));
    }

    const outcomes = await runLoad('faulty');
    expect(outcomes).toHaveLength(SENDS);
    const failed = outcomes.filter((o) => o.status !== 200);
    expect(failed.filter((o) => !(o.status === 500 && o.code === 'SEND_FAILED'))).toEqual([]);
    expect(failed.length).toBeGreaterThan(0);
    const ok = SENDS - failed.length;
    await environment.sink.waitForMessages(outcomes.filter((o) => o.channel === 'email' && o.status === 200).length, 60_000);

    const delivered = deliveries('faulty');
    await report('faulty', outcomes, delivered);
    expect(delivered).toHaveLength(ok);
    expect(new Set(delivered).size).toBe(ok); // no message delivered twice, retries included
    expect(await environment.logs.count({ requestedBy: 'faulty', status: 'sent' })).toBe(ok);
    expect(await environment.logs.count({ requestedBy: 'faulty', status: 'failed' })).toBe(failed.length);
    expect(await environment.logs.count({ requestedBy: 'faulty' })).toBe(SENDS);
  }, TIMEOUT_MS);
});
