#!/usr/bin/env node
/**
 * The benchmark summary as a picture: an SVG bar chart of one run's JSON
 * (bench/results/latest.json), ours beside the baseline per scenario, for
 * throughput and for server CPU per request. Hand-written SVG: a dozen
 * rectangles do not justify a chart library (and its install) in a tool.
 *
 *   node bench/chart.mjs [bench/results/latest.json] [docs/benchmarks.svg]
 *
 * Scenarios differ by two orders of magnitude (health ~2,000 req/s, logs ~40),
 * so each pair of bars is scaled to its own larger value: compare the two bars
 * of a pair, and read the numbers written beside them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const COLORS = { ours: '#2563eb', baseline: '#9ca3af' };
const ROW = 46; // height of one scenario: two bars of 16 and the gaps
const BAR = 16;
const LABEL_WIDTH = 250;
const PANEL_WIDTH = 300;
const PANEL_GAP = 120; // room for the value written after the longer bar
const TOP = 78;

/** Text made safe for SVG element content and attribute values. */
export function escapeXml(value) {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

const finite = (value) => typeof value === 'number' && Number.isFinite(value);
const fmt = (value, unit) => (finite(value) ? `${value}${unit}` : '–');

/** Two bars (ours, baseline) scaled to the larger of the pair, each followed by its value. */
function pair(x, y, ours, baseline, unit) {
  const max = Math.max(finite(ours) ? ours : 0, finite(baseline) ? baseline : 0);
  const width = (value) => (max > 0 && finite(value) ? Math.max(1, Math.round((value / max) * PANEL_WIDTH)) : 0);
  return [['ours', ours, y], ['baseline', baseline, y + BAR + 2]].flatMap(([kind, value, top]) => {
    const w = width(value);
    return [
      `<rect x="${x}" y="${top}" width="${w}" height="${BAR}" fill="${COLORS[kind]}"><title>${escapeXml(`${kind}: ${fmt(value, unit)}`)}</title></rect>`,
      `<text x="${x + w + 6}" y="${top + 12}" class="v">${escapeXml(fmt(value, unit))}</text>`,
    ];
  });
}

/** The SVG document (a string) for `report`, as written by bench/run.mjs. */
export function renderChart(report, { labels = {} } = {}) {
  const scenarios = report.scenarios ?? [];
  const throughputX = LABEL_WIDTH;
  const cpuX = LABEL_WIDTH + PANEL_WIDTH + PANEL_GAP;
  const width = cpuX + PANEL_WIDTH + PANEL_GAP;
  const height = TOP + scenarios.length * ROW + 40;
  const load = report.loadAverage;
  const when = typeof report.date === 'string' ? report.date.slice(0, 16).replace('T', ' ') + ' UTC' : '';
  const settings = report.settings ?? {};
  const subtitle =
    `${when}; ${settings.connections ?? '?'} connections, ${settings.durationSec ?? '?'} s × ${settings.rounds ?? '?'} rounds` +
    (load ? `; load average mean ${load.mean}, max ${load.max}` : '') +
    '. Each pair is scaled to its larger value.';
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="title">`,
    `<title id="title">${escapeXml('npm run bench: ours against the bare-Fastify baseline')}</title>`,
    '<style>text{font-family:system-ui,-apple-system,Segoe UI,sans-serif;font-size:13px;fill:#111827}.h{font-weight:600;font-size:15px}.s{fill:#4b5563;font-size:12px}.v{font-size:12px}</style>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="12" y="22" class="h">${escapeXml('Ours against the bare-Fastify baseline (npm run bench)')}</text>`,
    `<text x="12" y="40" class="s">${escapeXml(subtitle)}</text>`,
    `<text x="${throughputX}" y="${TOP - 14}" class="h">${escapeXml('throughput, req/s (higher is better)')}</text>`,
    `<text x="${cpuX}" y="${TOP - 14}" class="h">${escapeXml('server CPU per request, ms (lower is better)')}</text>`,
  ];
  scenarios.forEach((s, i) => {
    const y = TOP + i * ROW;
    const label = labels[s.name] ?? s.name;
    parts.push(
      `<text x="12" y="${y + 14}">${escapeXml(label)}</text>`,
      `<text x="12" y="${y + 31}" class="s">${escapeXml(`ours ÷ baseline ${s.ratio ?? '–'}`)}</text>`,
      ...pair(throughputX, y, s.rps, s.baselineRps, ''),
      ...pair(cpuX, y, s.cpuMsPerRequest, s.baseline?.cpuMsPerRequest, ''),
    );
  });
  const legendY = height - 16;
  parts.push(
    `<rect x="12" y="${legendY - 11}" width="12" height="12" fill="${COLORS.ours}"/>`,
    `<text x="30" y="${legendY}">ours (dist/main.js)</text>`,
    `<rect x="170" y="${legendY - 11}" width="12" height="12" fill="${COLORS.baseline}"/>`,
    `<text x="188" y="${legendY}">baseline (bench/baseline-server.mjs, same work)</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}

/** Writes the chart of `report` to `file` (folders created as needed). */
export function writeChart(file, report, options) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, renderChart(report, options));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [input = 'bench/results/latest.json', output = 'docs/benchmarks.svg'] = process.argv.slice(2);
  const report = JSON.parse(fs.readFileSync(input, 'utf8'));
  const { scenario } = await import('./scenarios.mjs');
  writeChart(output, report, { labels: Object.fromEntries((report.scenarios ?? []).map((s) => [s.name, scenario(s.name).label])) });
  process.stderr.write(`wrote ${output}\n`);
}
