'use strict';
/** Starting detached services (waiting for their port) and stopping them again. */
const {
  fs,
  path,
  spawn,
  ROOT,
  LOG_DIR,
  LOOPBACK,
  READY_TIMEOUT_MS,
  LocalServicesError,
  rel,
  isPortOpen,
  isAlive,
  looksLikeOurs,
  tail,
  sleep,
  recordStarted,
  forgetStarted,
} = require('./services-base.cjs');

/* ------------------------------------------------------------ start / stop */

/**
 * Spawns a detached process with output appended to .local/logs/<logName>.log and waits
 * until host:port accepts connections.
 */
async function startDetached({ name, command, args, port, host = LOOPBACK, logName, logPath, match, record = true, env }) {
  const logFile = logPath ? path.resolve(logPath) : path.join(LOG_DIR, `${logName || name}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = fs.openSync(logFile, 'a');
  fs.writeSync(fd, `\n--- ${new Date().toISOString()} starting: ${command} ${args.join(' ')}\n`);
  let child;
  try {
    child = spawn(command, args, {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', fd, fd],
      env: env || process.env,
    });
  } finally {
    fs.closeSync(fd);
  }

  let exited = null;
  let spawnError = null;
  child.once('exit', (code, signal) => {
    exited = { code, signal };
  });
  child.once('error', (err) => {
    spawnError = err;
  });
  child.unref();

  const entry = {
    name,
    pid: child.pid,
    port,
    host,
    log: logFile.startsWith(`${ROOT}${path.sep}`) ? path.relative(ROOT, logFile) : logFile,
    match: match || command,
    startedAt: new Date().toISOString(),
  };
  if (record && child.pid) recordStarted(entry);

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (spawnError || exited) break;
    if (await isPortOpen(port, host, 500)) return { ...entry, started: true, recorded: record };
    await sleep(200);
  }

  if (!exited && !spawnError) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  if (record && child.pid) forgetStarted(child.pid);
  const why = spawnError
    ? `could not be spawned (${spawnError.message})`
    : exited
      ? `exited early (code ${exited.code}${exited.signal ? `, signal ${exited.signal}` : ''})`
      : `did not accept connections on ${host}:${port} within ${READY_TIMEOUT_MS / 1000}s`;
  throw new LocalServicesError(`${name} ${why}. Last lines of ${rel(logFile)}:\n${tail(logFile)}`);
}

/** Sends SIGTERM (then SIGKILL after timeoutMs) to one process started by this module. */
async function stopProcess(entry, { timeoutMs = 10_000 } = {}) {
  if (!entry || !entry.pid) return false;
  if (!isAlive(entry.pid) || (entry.match && !looksLikeOurs(entry))) {
    forgetStarted(entry.pid);
    return false;
  }
  try {
    process.kill(entry.pid, 'SIGTERM');
  } catch {
    /* gone */
  }
  const deadline = Date.now() + timeoutMs;
  while (isAlive(entry.pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(entry.pid)) {
    try {
      process.kill(entry.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  forgetStarted(entry.pid);
  return true;
}

/**
 * A capture server of ours (scripts/lib/*-capture.cjs: --host, --port, --dir) on host:port: whatever
 * already listens there is reused; otherwise the script is started detached and recorded.
 * @param {{ name: string, script: string, host: string, port: number, dir: string, record?: boolean }} opts
 */
async function ensureCaptureServer({ name, script, host, port, dir, record }) {
  if (await isPortOpen(port, host)) return { name, host, port, started: false };
  return startDetached({
    name,
    command: process.execPath,
    args: [script, '--host', host, '--port', String(port), '--dir', dir],
    port,
    host,
    logName: name,
    match: path.basename(script),
    record: record !== false,
  });
}

module.exports = { startDetached, stopProcess, ensureCaptureServer };
