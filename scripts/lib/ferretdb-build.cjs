'use strict';
/** Builds FerretDB from tools/ferretdb into .local/bin/ferretdb, cached by a hash of its sources. */
const {
  fs,
  os,
  path,
  crypto,
  spawnSync,
  BIN_DIR,
  FERRETDB_SRC,
  FERRETDB_BIN,
  FERRETDB_STAMP,
  GO_BUILD_ARGS,
  ALTERNATIVES,
  LocalServicesError,
  rel,
} = require('./services-base.cjs');

/* ------------------------------------------------------------------- build */

function findGo() {
  const candidates = [process.env.GO || 'go', '/usr/local/go/bin/go', path.join(os.homedir(), 'go', 'bin', 'go')];
  for (const candidate of candidates) {
    const res = spawnSync(candidate, ['version'], { encoding: 'utf8' });
    if (res.status === 0) return { go: candidate, version: res.stdout.trim() };
  }
  return null;
}

function ferretdbSourceHash() {
  const hash = crypto.createHash('sha256');
  hash.update(GO_BUILD_ARGS.join(' '));
  for (const name of ['go.mod', 'go.sum', 'main.go']) {
    hash.update(`\0${name}\0`);
    hash.update(fs.readFileSync(path.join(FERRETDB_SRC, name)));
  }
  return hash.digest('hex');
}

/**
 * Builds .local/bin/ferretdb from tools/ferretdb unless it exists and the sources did not change.
 * @returns {{ bin: string, built: boolean, seconds?: number }}
 */
function buildFerretDB({ force = false, log = console.log } = {}) {
  const wanted = ferretdbSourceHash();
  if (!force && fs.existsSync(FERRETDB_BIN)) {
    let have = '';
    try {
      have = fs.readFileSync(FERRETDB_STAMP, 'utf8').trim();
    } catch {
      have = '';
    }
    if (have === wanted) return { bin: FERRETDB_BIN, built: false };
  }

  const go = findGo();
  if (!go) {
    throw new LocalServicesError(
      'Cannot build FerretDB: the Go toolchain (`go`, 1.24 or newer) was not found on PATH.\n' +
        'Install Go (https://go.dev/dl/, or `apt-get install golang` if recent enough) so that\n' +
        '`node scripts/local-services.cjs build` can build .local/bin/ferretdb from tools/ferretdb.\n' +
        ALTERNATIVES,
    );
  }

  fs.mkdirSync(BIN_DIR, { recursive: true });
  const tmp = `${FERRETDB_BIN}.${process.pid}.tmp`;
  log(`[local-services] building FerretDB with ${go.version} -> ${rel(FERRETDB_BIN)} (first build takes about a minute)...`);
  const started = Date.now();
  const res = spawnSync(go.go, [...GO_BUILD_ARGS, '-o', tmp, '.'], {
    cwd: FERRETDB_SRC,
    env: { ...process.env, CGO_ENABLED: '0' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.status !== 0) {
    fs.rmSync(tmp, { force: true });
    const output = `${res.stdout || ''}${res.stderr || ''}`.trim().split('\n').slice(-30).join('\n');
    throw new LocalServicesError(
      `Building FerretDB failed (${go.version}, in ${rel(FERRETDB_SRC)}):\n${output || res.error || 'no output'}\n` +
        'The build needs the Go module proxy (or a filled module cache) to fetch github.com/FerretDB/FerretDB v1.24.2.\n' +
        ALTERNATIVES,
    );
  }
  fs.renameSync(tmp, FERRETDB_BIN);
  fs.writeFileSync(FERRETDB_STAMP, `${wanted}\n`);
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  log(`[local-services] FerretDB built in ${seconds}s`);
  return { bin: FERRETDB_BIN, built: true, seconds };
}


module.exports = { findGo, buildFerretDB };
