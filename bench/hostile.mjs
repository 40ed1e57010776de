/**
 * `npm run bench -- --hostile`: what refusing a hostile body costs. Each
 * scenario is a body built to be expensive to refuse, timed against a plain
 * body of the same size that the same route refuses (median of ROUNDS, as a
 * ratio of one run: 1 means refusing it costs what reading it costs), and
 * health is timed while hostile bodies keep arriving, since a refusal that
 * burns CPU blocks every other request (health took 8.2 s under 120,000
 * unknown keys before issue #21 was fixed).
 */
import { startTarget } from './targets.mjs';

const ROUNDS = 5;
const KEYS = 115_000; // about 1 MB of JSON, just under the default body limit

/** `"0":0,"1":0,…` and the same entries as list items. */
const keys = (n) => Array.from({ length: n }, (_, i) => `"${i.toString(36)}":0`).join(',');
const items = (n) => `"x":[${Array.from({ length: n }, (_, i) => `"${i.toString(36)}"`).join(',')}]`;
const sms = (members) => `{"to":"+14155550100","body":"b",${members}}`;

export const HOSTILE_SCENARIOS = {
  'sms-unknown-keys': {
    label: 'POST /messaging/sms, 115,000 unknown keys',
    path: '/messaging/sms',
    hostile: () => sms(keys(KEYS)),
    plain: () => sms(items(KEYS)),
  },
  'preview-data-keys': {
    label: 'POST /messaging/email/template/preview, 115,000 keys in data',
    path: '/messaging/email/template/preview',
    hostile: () => `{"template":"welcome","data":{${keys(KEYS)}}}`,
    plain: () => `{"template":"welcome","data":{${items(KEYS)}}}`,
  },
  'sms-duplicate-key': {
    label: 'POST /messaging/sms, "to" repeated after 1 MB',
    path: '/messaging/sms',
    hostile: () => `{"to":"+14155550100","body":"b","x":"${'a'.repeat(1_000_000)}","to":"+14155550199"}`,
    plain: () => `{"to":"+14155550100","body":"b","x":"${'a'.repeat(1_000_000)}","y":"+14155550199"}`,
  },
};

async function timed(url, token, body) {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  const text = await response.text();
  if (response.status !== 400) throw new Error(`expected a 400 from ${url}, got ${response.status}: ${text.slice(0, 300)}`);
  return { ms: performance.now() - started, bytes: Buffer.byteLength(text) };
}

async function healthMs(url) {
  const started = performance.now();
  await (await fetch(`${url}/messaging/health`)).text();
  return performance.now() - started;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fixed = (value, digits = 1) => Number(value.toFixed(digits));

/** Measures every hostile scenario against our server; prints a markdown table and returns the figures. */
export async function hostileScenarios(spec, context, log) {
  const ours = await startTarget('ours', spec);
  const results = [];
  try {
    for (const [name, scenario] of Object.entries(HOSTILE_SCENARIOS)) {
      const url = `${ours.url}${scenario.path}`;
      const hostile = scenario.hostile();
      const plain = scenario.plain();
      const times = { hostile: [], plain: [], health: [], idle: [] };
      let answerBytes = 0;
      for (let round = 0; round < ROUNDS; round++) {
        times.idle.push(await healthMs(ours.url));
        times.plain.push((await timed(url, context.token, plain)).ms);
        // Health asked while the hostile body is being refused: it waits for whatever that blocks.
        const refusal = timed(url, context.token, hostile);
        const [answer, health] = await Promise.all([refusal, healthMs(ours.url)]);
        times.hostile.push(answer.ms);
        times.health.push(health);
        answerBytes = Math.max(answerBytes, answer.bytes);
      }
      const result = {
        name,
        label: scenario.label,
        requestBytes: Buffer.byteLength(hostile),
        answerBytes,
        hostileMs: fixed(median(times.hostile)),
        plainMs: fixed(median(times.plain)),
        ratio: fixed(median(times.hostile) / median(times.plain), 2),
        healthIdleMs: fixed(median(times.idle)),
        healthDuringMs: fixed(median(times.health)),
      };
      log(`${name}: hostile ${result.hostileMs} ms, plain ${result.plainMs} ms, ratio ${result.ratio}, health ${result.healthDuringMs} ms`);
      results.push(result);
    }
  } finally {
    await ours.stop();
  }
  const rows = results.map(
    (r) =>
      `| ${r.label} | ${r.requestBytes} | ${r.answerBytes} | ${r.hostileMs} | ${r.plainMs} | ${r.ratio} | ${r.healthIdleMs} | ${r.healthDuringMs} |`,
  );
  process.stdout.write(
    [
      `Refusing hostile bodies (median of ${ROUNDS}; ratio = hostile / plain body of the same size, same route):`,
      '',
      '| scenario | request bytes | answer bytes | hostile ms | plain ms | ratio | health idle ms | health during ms |',
      '|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
  return results;
}
