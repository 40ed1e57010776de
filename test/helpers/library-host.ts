import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * The library as a user gets it: compiled into a staging copy of the package
 * (never the shared dist/), packed with `npm pack`, installed into a copy of
 * examples/host-app, which is compiled with its own tsc and started as a real
 * process.
 */

const run = promisify(execFile);
const REPO = process.cwd();
const HOST_START_TIMEOUT_MS = 30_000;

export interface PackedLibrary {
  tarball: string;
  /** Paths inside the tarball, relative to the package root (`dist/messaging/index.js`). */
  files: string[];
  /** The package.json inside the tarball. */
  manifest: Record<string, unknown>;
}

/** Compiles src/ into `workDir/package/dist` and packs it into `workDir`, as `npm pack` does for a release. */
export async function packLibrary(workDir: string): Promise<PackedLibrary> {
  const staging = path.join(workDir, 'package');
  await mkdir(staging, { recursive: true });
  for (const entry of ['package.json', 'README.md', 'LICENSE', 'templates']) {
    if (existsSync(path.join(REPO, entry))) await cp(path.join(REPO, entry), path.join(staging, entry), { recursive: true });
  }
  const tsc = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
  await run(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', path.join(staging, 'dist')], { cwd: REPO });
  // --ignore-scripts: `prepack` would run `nest build` in the repository.
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', workDir], {
    cwd: staging,
  });
  const [result] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const manifest = JSON.parse(await readFile(path.join(staging, 'package.json'), 'utf8')) as Record<string, unknown>;
  return { tarball: path.join(workDir, result.filename), files: result.files.map((f) => f.path), manifest };
}

export interface InstalledHost {
  dir: string;
  /** What `npm install` printed, warnings included (EBADENGINE, install scripts). */
  installOutput: string;
}

/**
 * Copies examples/host-app to `workDir/examples/host-app` (so its dependency
 * `file:../../fluxkit-messaging-<version>.tgz` finds the packed tarball in
 * `workDir`), installs it from the npm cache where possible, and compiles it
 * with its own tsc: the build, then tsconfig.lib-check.json, which checks our
 * declarations with skipLibCheck off.
 */
export async function installHostApp(workDir: string): Promise<InstalledHost> {
  const appDir = path.join(workDir, 'examples', 'host-app');
  const source = path.join(REPO, 'examples', 'host-app');
  await cp(source, appDir, {
    recursive: true,
    filter: (from) => !/[\\/](node_modules|dist)([\\/]|$)/.test(path.relative(source, from)) && !from.endsWith('.tgz'),
  });
  await rm(path.join(appDir, 'package-lock.json'), { force: true });
  const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=warn'], {
    cwd: appDir,
    maxBuffer: 16 * 1024 * 1024,
  });
  const tsc = path.join(appDir, 'node_modules', 'typescript', 'bin', 'tsc');
  for (const project of ['tsconfig.json', 'tsconfig.lib-check.json']) {
    await run(process.execPath, [tsc, '-p', project], { cwd: appDir }).catch((error: Error & { stdout?: string }) => {
      // tsc prints its diagnostics on stdout, which execFile's error message leaves out.
      throw new Error(`the host app does not compile (${project}):\n${error.stdout ?? error.message}`);
    });
  }
  return { dir: appDir, installOutput: `${install.stdout}\n${install.stderr}` };
}

/** Runs the host's compiled `dist/<script>.js` with `env` (plus PATH) and resolves with what it printed. */
export async function runHostScript(appDir: string, script: string, args: string[], env: Record<string, string>): Promise<string> {
  const { stdout } = await run(process.execPath, [path.join(appDir, 'dist', `${script}.js`), ...args], {
    cwd: appDir,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  return stdout;
}

export interface RunningHost {
  url: string;
  output(): string;
  stop(): Promise<number | null>;
}

/** Starts the compiled host app with exactly `env` (plus PATH) and resolves once it listens. */
export async function startHost(appDir: string, env: Record<string, string>): Promise<RunningHost> {
  const child = launchHost(appDir, env);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host app did not start:\n${output}`)), HOST_START_TIMEOUT_MS);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Listening on port (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`host app exited with ${String(code)} before listening:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Starts the host app expecting it to refuse to boot; resolves with its exit code and output. */
export async function runHostExpectingExit(
  appDir: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const child = launchHost(appDir, env);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), HOST_START_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, output };
}

/** An empty value means "unset": the variable is left out. */
function launchHost(appDir: string, env: Record<string, string>): ChildProcess {
  const given = Object.entries(env).filter(([, value]) => value !== '');
  return spawn(process.execPath, [path.join(appDir, 'dist', 'main.js')], {
    cwd: appDir,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', PORT: '0', ...Object.fromEntries(given) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
