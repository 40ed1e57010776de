/** One JSON line the app printed (pino): its level label, message, and whatever else it carries. */
export interface LogLine {
  level?: string;
  msg?: string;
  requestId?: string;
  context?: string;
  [field: string]: unknown;
}

/** The JSON lines of `output`; a line that is not JSON fails the test, since production prints only JSON. */
export function jsonLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
}

/** Polls `output()` until a line matches `predicate`; resolves with the output then. */
export async function waitForLine(output: () => string, predicate: (line: LogLine) => boolean, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = output();
    if (jsonLines(text).some(predicate)) return text;
    if (Date.now() > deadline) throw new Error(`no such log line within ${timeoutMs} ms:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
