import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/**
 * The built standalone app, as users run it (`node dist/main.js`).
 * APP_MAIN points at another build (kept inside the repository so that
 * node_modules resolves), e.g. for a profiling or instrumented build.
 */
const MAIN = path.resolve(process.cwd(), process.env.APP_MAIN ?? 'dist/main.js');
const START_TIMEOUT_MS = 30_000;

export const TEST_JWT_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

export interface RunningApp {
  /** `http://127.0.0.1:PORT` */
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Sends the signal and resolves with the exit code once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface ExitedApp {
  code: number | null;
  output: string;
}

/**
 * Starts dist/main.js on a free port with exactly these variables (plus PATH
 * and a test JWT secret), and resolves once it listens. Variables of the
 * caller's shell do not leak in, so a developer's SMTP_HOST never reaches a test.
 */
export async function startApp(env: Record<string, string | undefined>): Promise<RunningApp> {
  const child = launch(env);
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString());
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start in time:\n${output}`)), START_TIMEOUT_MS);
    const onData = () => {
      const match = /Listening on port (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`app exited with ${String(code)} before listening:\n${output}`));
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs dist/main.js expecting it to refuse to start; resolves with its exit code and output. */
export async function runAppExpectingExit(env: Record<string, string | undefined>): Promise<ExitedApp> {
  const child = launch(env);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), START_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, output };
}

function launch(env: Record<string, string | undefined>): ChildProcess {
  const merged: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NO_COLOR: '1',
    PORT: '0',
    JWT_SECRET: TEST_JWT_SECRET,
  };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return spawn(process.execPath, [MAIN], { env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
}
