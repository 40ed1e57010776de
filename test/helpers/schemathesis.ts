import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

interface ToolInstall {
  aptInstall(packages: string[], options: { log: (line: string) => void }): Promise<{ ok: boolean; reason?: string }>;
}
const tools = createRequire(import.meta.url)('../../scripts/lib/tool-install.cjs') as ToolInstall;
const progress = (line: string) => process.stderr.write(`${line}\n`);

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
export function run(command: string, args: string[], timeoutMs: number, env: Record<string, string> = {}): Promise<ProcessResult> {
  mkdirSync(path.resolve(process.cwd(), '.local'), { recursive: true });
  return new Promise((resolve, reject) => {
    // cwd .local/: schemathesis keeps a `.schemathesis/` cache in its working directory.
    const child = spawn(command, args, {
      cwd: path.resolve(process.cwd(), '.local'),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', ...env },
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
 * The schemathesis CLI, installed on first use from PyPI into a virtual environment under .local/. Debian's
 * python3 ships `venv` without ensurepip: the python3-venv package is then installed the way the test setup
 * installs redis-server (apt-get as root, unless FLUXKIT_NO_APT=1), or the error says what to install.
 */
export async function ensureSchemathesis(): Promise<string> {
  if (existsSync(BIN) && existsSync(STAMP)) return BIN;
  progress(`[schemathesis] installing schemathesis ${SCHEMATHESIS_VERSION} from PyPI into .local/schemathesis-venv (first run only, about a minute)`);
  let venv = await createVenv();
  if (venv.code !== 0) {
    const apt = await tools.aptInstall(['python3-venv'], { log: progress });
    if (apt.ok) venv = await createVenv();
    if (venv.code !== 0) {
      throw new Error(
        `python3 -m venv failed. Install python3-venv (Debian: apt-get install python3-venv), or put a python3 with ` +
          `ensurepip first on PATH.\n${apt.reason ?? ''}\n${venv.output}`,
      );
    }
  }
  const pip = await run(PIP, ['install', '--quiet', `schemathesis==${SCHEMATHESIS_VERSION}`], 600_000);
  if (pip.code !== 0) throw new Error(`pip install schemathesis failed:\n${pip.output}`);
  await run('touch', [STAMP], 10_000);
  progress('[schemathesis] installed');
  return BIN;
}

/** A fresh venv: a half-made one from a failed attempt (no ensurepip) would otherwise be reused. */
function createVenv(): Promise<ProcessResult> {
  rmSync(VENV_DIR, { recursive: true, force: true });
  return run('python3', ['-m', 'venv', VENV_DIR], 120_000);
}
