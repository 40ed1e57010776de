import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { escapeXml, renderChart, writeChart, type ChartReport } from '../bench/chart.mjs';

/**
 * bench/chart.mjs, the SVG bar chart `npm run bench` writes to docs/benchmarks.svg: one pair of bars
 * (ours, baseline) per scenario for throughput and for CPU per request, each pair scaled to its larger
 * value, every text escaped. No app is started.
 */
const REPORT: ChartReport = {
  date: '2026-11-30T13:10:00.000Z',
  loadAverage: { before: 1, mean: 2.5, max: 3 },
  settings: { connections: 64, durationSec: 20, rounds: 2 },
  scenarios: [
    { name: 'sms', rps: 300, baselineRps: 400, ratio: 0.75, cpuMsPerRequest: 3, baseline: { cpuMsPerRequest: 2 } },
    { name: 'health', rps: 2000, baselineRps: 1000, ratio: 2, cpuMsPerRequest: 0.2, baseline: { cpuMsPerRequest: 0.4 } },
  ],
};

/** Widths of the bars (fill colours of ours and the baseline), in document order. */
function barWidths(svg: string): number[] {
  return [...svg.matchAll(/<rect x="\d+" y="\d+" width="(\d+)" height="16"/g)].map((m) => Number(m[1]));
}

describe('benchmark chart (bench/chart.mjs)', () => {
  it('draws ours and the baseline per scenario, each pair scaled to its larger value', () => {
    const svg = renderChart(REPORT);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    // Per scenario: throughput ours, baseline; CPU ours, baseline. The larger of each pair is 300 px.
    expect(barWidths(svg)).toEqual([225, 300, 300, 200, 300, 150, 150, 300]);
    for (const text of ['>300<', '>400<', '>3<', '>2<', 'ours ÷ baseline 0.75', 'load average mean 2.5, max 3']) {
      expect(svg).toContain(text);
    }
  });

  it('escapes every text it writes', () => {
    const svg = renderChart({ scenarios: [{ name: 'a<b>&"c\'', rps: 1, baselineRps: 1, ratio: 1 }] }, { labels: {} });
    expect(svg).toContain('a&lt;b&gt;&amp;&quot;c&#39;');
    expect(svg).not.toContain('a<b>');
    expect(escapeXml('<&>')).toBe('&lt;&amp;&gt;');
  });

  it('uses the given labels and shows a missing figure as a dash with no bar', () => {
    const svg = renderChart(
      { scenarios: [{ name: 'sms', rps: 10, baselineRps: undefined, ratio: null, cpuMsPerRequest: 1, baseline: {} }] },
      { labels: { sms: 'POST /messaging/sms' } },
    );
    expect(svg).toContain('>POST /messaging/sms<');
    expect(svg).toContain('ours ÷ baseline –');
    expect(barWidths(svg)).toEqual([300, 0, 300, 0]);
  });

  it('writes the file', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'chart-')), 'docs', 'benchmarks.svg');
    writeChart(file, REPORT);
    expect(readFileSync(file, 'utf8')).toBe(renderChart(REPORT));
  });
});
