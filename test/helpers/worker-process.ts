import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** The built standalone worker, as users run it (`node dist/worker.js`). */
const WORKER_MAIN = path.resolve(process.cwd(), process.env.WORKER_MAIN ?? 'dist/worker.js');
const START_TIMEOUT_MS = 30_000;

export interface RunningWorker {
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Sends the signal and resolves with the exit code (null when killed by a signal) once it is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts dist/worker.js with exactly these variables (plus PATH), and
 * resolves once its BullMQ worker is connected ("Delivery worker started").
 * Like startApp, nothing of the caller's shell leaks in.
 */
export async function startWorker(env: Record<string, string | undefined>): Promise<RunningWorker> {
  const merged: Record<string, string> = { PATH: process.env.PATH ?? '', NO_COLOR: '1' };
  for (const [key, value] of Object.entries(env)) if (value !== undefined) merged[key] = value;
  const child = spawn(process.execPath, [WORKER_MAIN], { env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start in time:\n${output}`)), START_TIMEOUT_MS);
    const onData = () => {
      if (!output.includes('Delivery worker started')) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve();
    };
    child.stdout?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${String(code)} before starting:\n${output}`));
    });
  });
  return {
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs dist/worker.js expecting it to refuse to start; resolves with its exit code and output. */
export async function runWorkerExpectingExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [WORKER_MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), START_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, output };
}
