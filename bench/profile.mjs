/**
 * `npm run bench -- --profile <scenario>`: our server under node --cpu-prof,
 * loaded with one scenario (warm-up + one measurement), then stopped so V8
 * writes the profile; prints the top self-time functions and packages.
 * `--profile startup` profiles the cold start alone (spawn to healthy).
 */
import fs from 'node:fs';
import path from 'node:path';
import { measure, smokeCheck } from './measure.mjs';
import { packageRoot } from './paths.mjs';
import { formatSummary, summarizeProfile } from './profile-summary.mjs';
import { startTarget } from './targets.mjs';

/** `--profile startup`: the cold start instead of a scenario. */
export const STARTUP_PROFILE = 'startup';

export async function profileScenario(options, spec, context, log) {
  const name = options.profile;
  const dir = path.join(packageRoot(), '.local', 'bench', 'profiles', `${name}-${context.runId}`);
  fs.mkdirSync(dir, { recursive: true });
  const ours = await startTarget('ours', { ...spec, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
  let result = { startupMs: ours.startupMs };
  try {
    // `--profile startup`: spawn to the first healthy answer only, nothing loaded after.
    if (name !== STARTUP_PROFILE) {
      await smokeCheck(ours, name, context.token, 'smoke', context);
      const { token, deps, dbPid, dbUri } = context;
      const settings = { connections: options.connections, token, deps, dbPid, dbUri, callbackRows: options.callbackRows };
      if (options.warmupSec > 0) await measure(ours, name, { ...settings, durationSec: options.warmupSec, run: `${context.runId}w` });
      result = await measure(ours, name, { ...settings, durationSec: options.durationSec, run: context.runId });
    }
  } finally {
    // V8 writes the profile as the process exits (the app exits 0 on SIGTERM).
    await ours.stop();
  }
  const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile written in ${dir}:\n${ours.output()}`);
  if (name === STARTUP_PROFILE) log(`cold start under --cpu-prof: ${result.startupMs} ms to the first healthy answer`);
  else log(`${name} under --cpu-prof: ${result.rps.toFixed(0)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, errors ${result.errors}`);
  process.stdout.write(`profile: ${path.join(dir, file)}\n\n${formatSummary(summarizeProfile(path.join(dir, file)))}\n`);
}
