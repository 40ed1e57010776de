/** The measured requests of GET /messaging/logs, and how they are timed. */
import http from 'node:http';
import { HOT_RECIPIENT, WINDOW_END } from './rows.mjs';
import { summarize } from './stats.mjs';

const DAY = 86_400_000;
export const DEPTH = 10_000;
const iso = (ms) => new Date(ms).toISOString();

/** Scenario name and query string; the cursor one is filled in at run time. */
export function scenarioList() {
  return [
    ['no filter', ''],
    ['channel', 'channel=sms'],
    ['status', 'status=failed'],
    ['recipient (to)', `to=${encodeURIComponent(HOT_RECIPIENT)}`],
    ['template', 'template=invoice'],
    ['since (last 7 days)', `since=${iso(WINDOW_END - 7 * DAY)}`],
    ['until (first 30 days)', `until=${iso(WINDOW_END - 335 * DAY)}`],
    ['channel+status', 'channel=email&status=failed'],
    ['date range (one month)', `since=${iso(WINDOW_END - 120 * DAY)}&until=${iso(WINDOW_END - 90 * DAY)}`],
    ['offset 0', 'offset=0'],
    [`offset ${DEPTH.toLocaleString('en-US')}`, `offset=${DEPTH}`],
    [`cursor at depth ${DEPTH.toLocaleString('en-US')}`, null],
  ];
}

/** One connection reused for every request, as a client with keep-alive would. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/**
 * GET with node:http rather than fetch: fetch gives up on a response whose
 * headers take over 300 s, which a full scan of a large FerretDB collection can.
 */
function getPage(app, query) {
  const url = `${app.url}/messaging/logs${query ? `?${query}` : ''}`;
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { authorization: `Bearer ${app.token}` } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`GET ?${query} answered ${res.statusCode}: ${text}`));
        else resolve(JSON.parse(text));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/**
 * Runs `warmup` untimed requests, then timed ones until `samples` are taken
 * or the time budget is spent (but at least `minSamples`).
 */
async function measure(app, query, { samples, minSamples, warmup, budgetMs }) {
  for (let i = 0; i < warmup; i++) await getPage(app, query);
  const latencies = [];
  const started = Date.now();
  let last;
  while (latencies.length < samples && (latencies.length < minSamples || Date.now() - started < budgetMs)) {
    const t0 = performance.now();
    last = await getPage(app, query);
    latencies.push(performance.now() - t0);
  }
  return { latency: summarize(latencies), total: last.total, returned: last.logs.length };
}

/** The cursor that starts exactly where ?offset=DEPTH starts: nextCursor of the page ending at DEPTH. */
async function cursorAtDepth(app) {
  const before = await getPage(app, `offset=${DEPTH - 20}&limit=20`);
  if (!before.nextCursor) throw new Error(`fewer than ${DEPTH + 1} rows: use --rows above ${DEPTH}`);
  return before.nextCursor;
}

/**
 * Every scenario in turn; `onResult` gets the results so far after each one
 * (so a long run that is cut short still leaves its figures).
 */
export async function measureScenarios(app, settings, onResult = () => {}) {
  const cursor = await cursorAtDepth(app);
  const [byOffset, byCursor] = [await getPage(app, `offset=${DEPTH}`), await getPage(app, `cursor=${cursor}`)];
  const ids = (page) => page.logs.map((log) => log._id).join(',');
  const cursorMatchesOffset = ids(byOffset) === ids(byCursor) && byOffset.logs.length === 20;
  const results = [];
  for (const [name, fixedQuery] of scenarioList()) {
    const query = fixedQuery ?? `cursor=${cursor}`;
    process.stdout.write(`  ${name.padEnd(26)} `);
    const result = await measure(app, query, settings);
    console.log(`n=${result.latency.n} p50=${result.latency.p50}ms p95=${result.latency.p95}ms total=${result.total}`);
    results.push({ name, query, ...result });
    onResult(results, cursorMatchesOffset);
  }
  return { results, cursorMatchesOffset };
}
