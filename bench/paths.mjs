/** Locations the benchmark needs, found without assuming where it is run from. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json of @fluxkit/messaging, found by walking up from bench/. */
export function packageRoot(from = path.dirname(fileURLToPath(import.meta.url))) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === '@fluxkit/messaging') return dir;
    if (path.dirname(dir) === dir) throw new Error('package.json of @fluxkit/messaging not found above bench/');
  }
}

/** Absolute path of a file of bench/. */
export function benchFile(name) {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), name);
}

/**
 * The MongoDB driver, resolved from mongoose's own location: the very driver
 * (and version) our app runs on, without declaring it a dependency.
 */
export function mongodbDriver() {
  const require = createRequire(import.meta.url);
  return createRequire(require.resolve('mongoose'))('mongodb');
}
