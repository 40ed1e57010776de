import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The schemathesis release the contract fuzzing is written against (PyPI). */
export const SCHEMATHESIS_VERSION = '4.32.5';

const VENV_DIR = path.resolve(process.cwd(), '.local', 'schemathesis-venv');
const BIN = path.join(VENV_DIR, 'bin', 'schemathesis');
const PIP = path.join(VENV_DIR, 'bin', 'pip');
/** Marks a venv holding exactly SCHEMATHESIS_VERSION, so a version bump reinstalls. */
const STAMP = path.join(VENV_DIR, `.schemathesis-${SCHEMATHESIS_VERSION}`);

export interface ProcessResult {
  code: number | null;
  output: string;
}

/** Runs a command without blocking the event loop (the fakes live in this process), collecting its output. */
export function run(command: string, args: string[], timeoutMs: number): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    // cwd .local/: schemathesis keeps a `.schemathesis/` cache in its working directory.
    const child = spawn(command, args, {
      cwd: path.resolve(process.cwd(), '.local'),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * The schemathesis CLI, installed on first use from PyPI into a virtual
 * environment under .local/ (python3 with the venv module is required).
 */
export async function ensureSchemathesis(): Promise<string> {
  if (existsSync(BIN) && existsSync(STAMP)) return BIN;
  const venv = await run('python3', ['-m', 'venv', VENV_DIR], 120_000);
  if (venv.code !== 0) throw new Error(`python3 -m venv failed (install python3-venv):\n${venv.output}`);
  const pip = await run(PIP, ['install', '--quiet', `schemathesis==${SCHEMATHESIS_VERSION}`], 600_000);
  if (pip.code !== 0) throw new Error(`pip install schemathesis failed:\n${pip.output}`);
  await run('touch', [STAMP], 10_000);
  return BIN;
}
