#!/usr/bin/env node
/**
 * Summarizes a V8 .cpuprofile (node --cpu-prof): the functions with the most
 * self time, and self time per package (our code, Nest, mongoose, ...).
 *
 *   node bench/profile-summary.mjs <file.cpuprofile> [top]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where a function lives: `pkg` for node_modules/pkg, `ours` for the app's build, `node:` internals, or the VM's own entries. */
export function packageOf(url, functionName) {
  if (!url) return `(${functionName.replace(/[()]/g, '') || 'native'})`;
  if (url.startsWith('node:')) return 'node internals';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1];
  if (/\/(dist|\.local\/build-[^/]+)\//.test(url)) return 'ours (app build)';
  return 'other';
}

function shortUrl(url) {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  return url.replace(/^file:\/\//, '').split('/').slice(-3).join('/');
}

/** Self time per function and per package, in ms, sorted by time. */
export function summarizeProfile(file) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFunction = new Map();
  const byPackage = new Map();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = nodes.get(id).callFrame;
    const name = functionName || '(anonymous)';
    const key = url ? `${name}  ${shortUrl(url)}:${lineNumber + 1}` : name;
    const pkg = packageOf(url, name);
    byFunction.set(key, { key, pkg, us: (byFunction.get(key)?.us ?? 0) + us });
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    totalUs += us;
  }
  const sorted = (entries) => [...entries].sort((a, b) => b.us - a.us);
  return {
    totalMs: totalUs / 1000,
    functions: sorted(byFunction.values()),
    packages: sorted([...byPackage].map(([pkg, us]) => ({ pkg, us }))),
    inclusive: sorted([...inclusiveByPackage(profile, nodes, selfUs)].map(([pkg, us]) => ({ pkg, us }))),
  };
}

/**
 * Time of the samples whose stack holds a package anywhere (each sample
 * counted once per package): what a package costs including what it calls.
 */
function inclusiveByPackage(profile, nodes, selfUs) {
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const totals = new Map();
  for (const [id, us] of selfUs) {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const { url, functionName } = nodes.get(cur).callFrame;
      if (url) seen.add(packageOf(url, functionName));
    }
    for (const pkg of seen) totals.set(pkg, (totals.get(pkg) ?? 0) + us);
  }
  return totals;
}

/** Text of the summary's top entries; percentages are of the busy (non-idle) time. */
export function formatSummary(summary, top = 25) {
  const idleUs = summary.packages.find((p) => p.pkg === '(idle)')?.us ?? 0;
  const busyMs = summary.totalMs - idleUs / 1000;
  const pct = (us) => `${((us / 1000 / busyMs) * 100).toFixed(1).padStart(5)}%`;
  const busy = (entries) => entries.filter((e) => e.pkg !== '(idle)');
  const lines = [
    `sampled ${(summary.totalMs / 1000).toFixed(1)} s, busy ${(busyMs / 1000).toFixed(1)} s; percentages are of the busy time`,
    '',
    'self time by package:',
  ];
  for (const { pkg, us } of busy(summary.packages).slice(0, 20)) lines.push(`  ${pct(us)}  ${pkg}`);
  lines.push('', 'time with the package on the stack (inclusive; a sample counts once per package):');
  for (const { pkg, us } of summary.inclusive.slice(0, 20)) lines.push(`  ${pct(us)}  ${pkg}`);
  lines.push('', `top ${top} functions by self time:`);
  for (const { key, us } of busy(summary.functions).slice(0, top)) lines.push(`  ${pct(us)}  ${key}`);
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node bench/profile-summary.mjs <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  process.stdout.write(`${formatSummary(summarizeProfile(file), Number(top ?? 25))}\n`);
}
