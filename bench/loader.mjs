#!/usr/bin/env node
/**
 * The load generator, run as its own process so it never shares an event
 * loop with the servers or the orchestrator:
 *
 *   node bench/loader.mjs '{"url":"http://127.0.0.1:PORT","scenario":"sms","connections":64,
 *                          "durationSec":20,"token":"...","run":"r1a","start":0}'
 *
 * Drives autocannon with one distinct request per send (numbered from
 * `start` within run tag `run`) and prints one JSON line with the figures.
 */
import autocannon from 'autocannon';
import { signedCallback } from './callbacks.mjs';
import { bodyOf, headersOf, scenario } from './scenarios.mjs';

const config = JSON.parse(process.argv[2] ?? '{}');
const { name, method, path, signed } = scenario(config.scenario);
let next = config.start ?? 0;

const instance = autocannon({
  url: config.url,
  connections: config.connections,
  duration: config.durationSec,
  // A request unanswered after this long counts as an error, not as a latency.
  timeout: 30,
  requests: [
    {
      method,
      path,
      headers: headersOf(name, config.token),
      // Called for every request: a fresh body each time.
      setupRequest: (request) => {
        // Signed callbacks (config.twilio: the account's SID and token): a new signature per body.
        if (signed) {
          const { headers, body } = signedCallback(next++, config.run, config.twilio);
          return { ...request, headers: { ...request.headers, ...headers }, body };
        }
        const body = bodyOf(name, next++, config.run);
        return body === undefined ? request : { ...request, body };
      },
    },
  ],
});

instance.on('done', (result) => {
  const non2xx = result.non2xx;
  // autocannon counts timeouts inside `errors` too.
  const failures = non2xx + result.errors;
  process.stdout.write(
    `${JSON.stringify({
      scenario: name,
      requests: result.requests.total,
      ok: result['2xx'],
      durationSec: result.duration,
      rps: result['2xx'] / result.duration,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      meanMs: result.latency.average,
      errors: failures,
      non2xx,
      socketErrors: result.errors,
      timeouts: result.timeouts,
      statusCodes: result.statusCodeStats,
      sent: next - (config.start ?? 0),
    })}\n`,
  );
});
