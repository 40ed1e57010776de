'use strict';
/** Builds FerretDB from tools/ferretdb into .local/bin/ferretdb, cached by a hash of its sources. */
const {
  fs,
  os,
  path,
  crypto,
  spawnSync,
  LOCAL_DIR,
  FERRETDB_SRC,
  FERRETDB_BIN,
  FERRETDB_STAMP,
  GO_BUILD_ARGS,
  ALTERNATIVES,
  LocalServicesError,
  rel,
} = require('./services-base.cjs');
const { PATCHES, applyFerretDBPatches } = require('./ferretdb-patches.cjs');

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
  hash.update(JSON.stringify(PATCHES));
  for (const name of ['go.mod', 'go.sum', 'main.go']) {
    hash.update(`\0${name}\0`);
    hash.update(fs.readFileSync(path.join(FERRETDB_SRC, name)));
  }
  return hash.digest('hex');
}

/**
 * Copies the FerretDB module named in tools/ferretdb/go.mod out of the Go module cache into
 * .local/ferretdb-src/module, applies scripts/lib/ferretdb-patches.cjs to it, and writes a
 * go.mod that builds tools/ferretdb against that copy. Returns the go.mod path (for -modfile).
 */
function preparePatchedModule(go) {
  const goMod = fs.readFileSync(path.join(FERRETDB_SRC, 'go.mod'), 'utf8');
  const version = /^require github\.com\/FerretDB\/FerretDB (v\S+)$/m.exec(goMod);
  if (!version) throw new LocalServicesError('tools/ferretdb/go.mod does not require github.com/FerretDB/FerretDB');
  const download = spawnSync(go.go, ['mod', 'download', '-json', `github.com/FerretDB/FerretDB@${version[1]}`], {
    cwd: FERRETDB_SRC,
    encoding: 'utf8',
  });
  const moduleDir = download.status === 0 ? JSON.parse(download.stdout).Dir : undefined;
  if (!moduleDir) {
    throw new LocalServicesError(`Could not download FerretDB ${version[1]}:\n${download.stdout}${download.stderr}\n${ALTERNATIVES}`);
  }
  const workDir = path.join(LOCAL_DIR, 'ferretdb-src');
  const copy = path.join(workDir, 'module');
  if (fs.existsSync(workDir)) makeWritable(workDir);
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.cpSync(moduleDir, copy, { recursive: true });
  makeWritable(copy); // the module cache is read-only, and so is a plain copy of it
  applyFerretDBPatches(fs, path, copy);
  const modFile = path.join(workDir, 'go.mod');
  fs.writeFileSync(modFile, `${goMod}\nreplace github.com/FerretDB/FerretDB => ${copy}\n`);
  fs.copyFileSync(path.join(FERRETDB_SRC, 'go.sum'), path.join(workDir, 'go.sum'));
  return modFile;
}

function makeWritable(dir) {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(full);
    else fs.chmodSync(full, 0o644);
  }
}

/**
 * Builds .local/bin/ferretdb (or `bin`) from tools/ferretdb and the patched FerretDB module,
 * unless it exists and the sources and patches did not change.
 * @returns {{ bin: string, built: boolean, seconds?: number }}
 */
function buildFerretDB({ force = false, log = console.log, bin = FERRETDB_BIN } = {}) {
  const wanted = ferretdbSourceHash();
  const stamp = bin === FERRETDB_BIN ? FERRETDB_STAMP : `${bin}.stamp`; // FERRETDB_STAMP is `${FERRETDB_BIN}.stamp`
  if (!force && fs.existsSync(bin)) {
    let have = '';
    try {
      have = fs.readFileSync(stamp, 'utf8').trim();
    } catch {
      have = '';
    }
    if (have === wanted) return { bin, built: false };
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

  fs.mkdirSync(path.dirname(bin), { recursive: true });
  const tmp = `${bin}.${process.pid}.tmp`;
  log(`[local-services] building FerretDB with ${go.version} -> ${rel(bin)} (first build takes about a minute)...`);
  const started = Date.now();
  const modFile = preparePatchedModule(go);
  const res = spawnSync(go.go, [...GO_BUILD_ARGS, `-modfile=${modFile}`, '-o', tmp, '.'], {
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
  fs.renameSync(tmp, bin);
  fs.writeFileSync(stamp, `${wanted}\n`);
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  log(`[local-services] FerretDB built in ${seconds}s`);
  return { bin, built: true, seconds };
}


module.exports = { findGo, buildFerretDB };
