import type { RunningApp } from './helpers/app-process.js';
import { request } from './helpers/http.js';
import { testEnvironment } from './helpers/test-environment.js';
import { bearer } from './helpers/tokens.js';

const GAP_MS = 25;
/** Accepted messages before the primary is killed, and after the Sentinels promoted the replica. */
const BEFORE_KILL = 30;
const AFTER_FAILOVER = 30;
const BATCH_SIZE = 3;

interface Sent {
  body: string;
  status: number;
  id?: string;
}

/**
 * Redis behind Sentinel (REDIS_SENTINELS): a steady stream of queued SMS while the primary is killed
 * (SIGKILL, no shutdown); the Sentinels promote the replica, the app follows them. Every message the API
 * accepted (202) must end `sent` and reach the Twilio fake exactly once; a message refused during the
 * failover (503) must never reach it. Single sends and small batches alternate, so both ways into the
 * queue (one add, one addBulk) go through the failover.
 */
describe('a Sentinel failover during queued delivery (REDIS_SENTINELS)', () => {
  const environment = testEnvironment({ name: 'redis-sentinel', twilio: true, redis: 'sentinel' });
  let app: RunningApp;

  beforeAll(async () => {
    app = await environment.startApp({ TWILIO_MAX_RETRIES: '0' });
  });

  const send = async (body: string): Promise<Sent> => {
    const response = await request<Record<string, unknown>>(`${app.url}/messaging/sms`, {
      headers: { ...bearer({ sub: 'failover-client' }), prefer: 'respond-async' },
      body: { to: '+15551234567', body },
    });
    return { body, status: response.status, ...(response.status === 202 ? { id: String(response.body.messageId) } : {}) };
  };

  /** A batch of BATCH_SIZE SMS (POST /messaging/sms/batch): each message its own entry, as a single send's. */
  const sendBatch = async (bodies: string[]): Promise<Sent[]> => {
    const response = await request<{ results?: Array<{ messageId?: string }> }>(`${app.url}/messaging/sms/batch`, {
      headers: bearer({ sub: 'failover-client' }),
      body: { messages: bodies.map((body) => ({ to: '+15551234567', body })) },
    });
    return bodies.map((body, i) => {
      const id = response.status === 202 ? response.body.results?.[i]?.messageId : undefined;
      return { body, status: id === undefined ? (response.status === 202 ? 400 : response.status) : 202, ...(id ? { id } : {}) };
    });
  };

  it('loses nothing and sends nothing twice when the primary dies', async () => {
    const { sentinel } = environment;
    const health = await request<Record<string, unknown>>(`${app.url}/messaging/health`);
    expect(health.body).toMatchObject({ redis: { status: 'connected' }, queue: { status: 'connected' } });

    const sent: Sent[] = [];
    const accepted = () => sent.filter((s) => s.status === 202).length;
    let stop = false;
    const stream = (async () => {
      for (let i = 0; !stop; i++) {
        // Every third turn a batch: its jobs go to Redis with one addBulk, and wait for the replica too.
        if (i % 3 === 2) sent.push(...(await sendBatch(Array.from({ length: BATCH_SIZE }, (_, j) => `failover batch ${i}.${j}`))));
        else sent.push(await send(`failover message ${i}`));
        await new Promise((resolve) => setTimeout(resolve, GAP_MS));
      }
    })();
    const until = async (done: () => boolean, what: string) => {
      for (const deadline = Date.now() + 30_000; !done(); ) {
        if (Date.now() > deadline) throw new Error(`${what} within 30 s; last answers: ${JSON.stringify(sent.slice(-3))}\n${app.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    let acceptedAtKill = 0;
    let acceptedAtFailover = 0;
    try {
      await until(() => accepted() >= BEFORE_KILL, 'no steady stream');
      sentinel.primary.kill();
      acceptedAtKill = accepted();
      await sentinel.untilSentinelsAgree(sentinel.replica.portNumber, 30_000);
      acceptedAtFailover = accepted();
      await until(() => accepted() >= acceptedAtFailover + AFTER_FAILOVER, 'no acceptance after the failover');
    } finally {
      stop = true;
      await stream;
    }

    const acceptedOnes = sent.filter((s) => s.status === 202);
    const refused = sent.filter((s) => s.status !== 202);
    // Refusals are 503s while no primary answers; nothing else.
    expect(new Set(refused.map((s) => s.status))).toEqual(new Set(refused.length ? [503] : []));
    for (const message of acceptedOnes) {
      await environment.logs.waitFor(String(message.id), (row) => row.status === 'sent' || row.status === 'failed', 30_000);
    }
    const rows = await Promise.all(acceptedOnes.map((m) => environment.logs.byId(String(m.id))));
    expect(rows.filter((row) => row?.status !== 'sent')).toEqual([]);

    const perBody = new Map<string, number>();
    for (const { fields } of environment.twilio.messageRequests()) {
      const body = String(fields['Body']);
      perBody.set(body, (perBody.get(body) ?? 0) + 1);
    }
    expect(acceptedOnes.filter((m) => perBody.get(m.body) !== 1).map((m) => [m.body, perBody.get(m.body)])).toEqual([]);
    expect(refused.filter((m) => perBody.has(m.body)).map((m) => m.body)).toEqual([]);
    expect(environment.twilio.requestCount('messages')).toBe(acceptedOnes.length);

    const batched = (list: Sent[]) => list.filter((m) => m.body.startsWith('failover batch')).length;
    process.stdout.write(
      `[sentinel failover] ${sent.length} sends: ${acceptedOnes.length} accepted (${acceptedAtKill} before the kill, ` +
        `${acceptedOnes.length - acceptedAtFailover} after the failover; ${batched(acceptedOnes)} of them in batches), ` +
        `${refused.length} refused with 503\n`,
    );
    expect(acceptedOnes.length - acceptedAtFailover).toBeGreaterThanOrEqual(AFTER_FAILOVER);
    // Both ways into the queue were in the stream on both sides of the failover.
    expect(batched(acceptedOnes.slice(0, acceptedAtKill))).toBeGreaterThan(0);
    expect(batched(acceptedOnes.slice(acceptedAtFailover))).toBeGreaterThan(0);
  }, 120_000);
});
