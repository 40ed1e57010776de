/**
 * `npm run bench -- --versus <other>/dist/main.js`: this build of the app against another build (an
 * older commit checked out and built elsewhere), side by side on the same dependencies and the same
 * environment. Answers "what did this change cost a send?" (issue #18: consent screening within 5 %).
 * Each build runs from its own package folder (the one holding its dist/), so it loads its own
 * node_modules and templates.
 */
import fs from 'node:fs';
import path from 'node:path';
import { round } from './measure.mjs';
import { sideBySide, sideBySideTable } from './side-by-side.mjs';

export async function versus(spec, options, context, log, root) {
  const otherMain = path.resolve(options.versus);
  if (!fs.existsSync(otherMain)) throw new Error(`--versus: ${otherMain} does not exist (build that checkout first)`);
  const otherRoot = path.dirname(path.dirname(otherMain));
  log(`measuring ${spec.appMain} (this) against ${otherMain} (other)`);
  const thisRoot = path.dirname(path.dirname(spec.appMain));
  const variants = { other: { ...spec, appMain: otherMain, cwd: otherRoot }, this: { ...spec, cwd: thisRoot } };
  const rows = await sideBySide(variants, options, context, log);
  const table = sideBySideTable(rows, ['other', 'this'], 'this ÷ other');
  process.stdout.write(`\n${table}\n\nthis ÷ other below 1 means this build serves fewer sends per second.\n`);
  const out = path.resolve(root, options.outGiven ? options.out : 'bench/results/versus.json');
  const settings = { durationSec: options.durationSec, rounds: options.rounds, connections: options.connections, warmupSec: options.warmupSec };
  fs.writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), this: spec.appMain, other: otherMain, settings, rows: rows.map((r) => ({ ...r, costPercent: round((1 - r.ratio) * 100) })) }, null, 2)}\n`);
  log(`wrote ${path.relative(root, out)}`);
}
