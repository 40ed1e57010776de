import type { AxeResults, Result, RunOptions } from 'axe-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** axe-core's browser bundle, read once per spec file. */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The impacts a page must not have (issue #19: no serious or critical violation). */
export const BLOCKING_IMPACTS: ReadonlyArray<Result['impact']> = ['serious', 'critical'];

/**
 * What axe checks: a CSS selector, or axe's include/exclude of selectors. Selectors only, since the check
 * crosses from Node into the page (axe's own ElementContext also takes DOM nodes).
 */
export type AxeContext = string | { include?: string | string[]; exclude?: string | string[] };

export interface AxeCheckOptions {
  /** What to check; the whole document by default. */
  context?: AxeContext;
  /** axe's run options (rules to switch off, tags to run, ...). */
  options?: RunOptions;
  /** The impacts to report; serious and critical by default. */
  impacts?: ReadonlyArray<Result['impact']>;
}

/** The part of the page's window this helper uses, once the bundle ran. */
interface AxeWindow {
  axe: { run(context: unknown, options: RunOptions): Promise<AxeResults> };
  document: unknown;
}

/**
 * Runs axe-core in the page and returns its serious and critical violations (or those of `check.impacts`).
 * The bundle is evaluated through Playwright rather than added with page.addScriptTag: a page with a
 * strict CSP (ours) refuses inline script elements, and the refusal would itself show up as a CSP
 * violation the spec then asserts on.
 */
export async function axeViolations(page: Page, check: AxeCheckOptions = {}): Promise<Result[]> {
  const injected = await page.evaluate(() => typeof (globalThis as unknown as Partial<AxeWindow>).axe !== 'undefined');
  if (!injected) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(
    ({ context, options }) => {
      const window = globalThis as unknown as AxeWindow;
      return window.axe.run(context ?? window.document, options);
    },
    { context: check.context ?? null, options: check.options ?? {} },
  );
  const impacts = check.impacts ?? BLOCKING_IMPACTS;
  return results.violations.filter((violation) => impacts.includes(violation.impact));
}

/**
 * The serious and critical violations as readable lines (rule, impact, what it asks, where, why), so that
 * `expect(await accessibilityProblems(page)).toEqual([])` fails with something a person can act on.
 */
export async function accessibilityProblems(page: Page, check: AxeCheckOptions = {}): Promise<string[]> {
  return describeViolations(await axeViolations(page, check));
}

export function describeViolations(violations: Result[]): string[] {
  return violations.map((violation) => {
    const nodes = violation.nodes.map((node) => `\n    at ${node.target.join(' ')}: ${node.html}\n      ${(node.failureSummary ?? '').replace(/\n/g, '\n      ')}`);
    return `${violation.id} (${String(violation.impact)}): ${violation.help} ${violation.helpUrl}${nodes.join('')}`;
  });
}
