/** Types of bench/chart.mjs for the TypeScript specs that test it. */
export interface ChartScenario {
  name: string;
  rps?: number;
  baselineRps?: number;
  ratio?: number | null;
  cpuMsPerRequest?: number;
  baseline?: { cpuMsPerRequest?: number };
}
export interface ChartReport {
  date?: string;
  scenarios?: ChartScenario[];
  loadAverage?: { before: number; mean: number; max: number };
  settings?: { connections?: number; durationSec?: number; rounds?: number };
}
export function escapeXml(value: unknown): string;
export function renderChart(report: ChartReport, options?: { labels?: Record<string, string> }): string;
export function writeChart(file: string, report: ChartReport, options?: { labels?: Record<string, string> }): void;
