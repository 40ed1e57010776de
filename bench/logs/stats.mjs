/** Latency statistics and the benchmark's report (markdown table and JSON). */

/** Nearest-rank percentile of sorted values (q in (0, 1]). */
export function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

/** Summary of latencies in milliseconds, rounded to 0.1 ms. */
export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (value) => Math.round(value * 10) / 10;
  const mean = sorted.reduce((sum, value) => sum + value, 0) / (sorted.length || 1);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 0.5)),
    p95: round(percentile(sorted, 0.95)),
    p99: round(percentile(sorted, 0.99)),
    min: round(sorted[0] ?? NaN),
    max: round(sorted[sorted.length - 1] ?? NaN),
    mean: round(mean),
  };
}

/** Markdown table of the scenario results. */
export function markdownTable(results) {
  const lines = [
    '| scenario | query | n | p50 ms | p95 ms | p99 ms | max ms | total matches |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    const query = r.query.length > 60 ? `${r.query.slice(0, 57)}...` : r.query;
    lines.push(
      `| ${r.name} | \`${query || '(none)'}\` | ${r.latency.n} | ${r.latency.p50} | ${r.latency.p95} | ${r.latency.p99} | ${r.latency.max} | ${r.total.toLocaleString('en-US')} |`,
    );
  }
  return lines.join('\n');
}
