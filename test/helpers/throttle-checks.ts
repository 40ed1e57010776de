import type { RunningApp } from './app-process.js';
import { request, type JsonResponse } from './http.js';
import { bearer } from './tokens.js';

/** What the rate-limit specs send and check, whichever Redis (or none) shares the counters. */

/** GET /messaging/logs as `sub` (cheap, authenticated, throttled per subject). */
export function logs(app: RunningApp, sub: string): Promise<JsonResponse> {
  return request(`${app.url}/messaging/logs?limit=1`, { headers: bearer({ sub }) });
}

/** `count` requests as `sub`, alternating between the apps given, in order. */
export async function alternate(apps: RunningApp[], sub: string, count: number): Promise<JsonResponse[]> {
  const responses: JsonResponse[] = [];
  for (let i = 0; i < count; i++) responses.push(await logs(apps[i % apps.length], sub));
  return responses;
}

export function expectRateLimited(response: JsonResponse): void {
  expect(response.status).toBe(429);
  expect(response.body).toMatchObject({ error: { code: 'RATE_LIMITED' } });
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

/** Waits (bounded) until every app has printed a line matching `pattern`; health polling would spend the IP budget. */
export async function untilPrinted(apps: RunningApp[], pattern: RegExp, timeoutMs = 15_000): Promise<void> {
  for (let waited = 0; waited < timeoutMs; waited += 50) {
    if (apps.every((app) => pattern.test(app.output()))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not printed within ${timeoutMs} ms: ${pattern}\n${apps.map((a) => a.output()).join('\n---\n')}`);
}
