'use strict';
/**
 * Chromium for the browser specs (test/*.browser.e2e-spec.ts), obtained like redis-server so that nothing is
 * installed by hand (docs/testing.md, "What the first run obtains"). First found, first used:
 *   1. FLUXKIT_CHROMIUM: a Chromium or Google Chrome binary the user names (used as is);
 *   2. `chromium` on PATH (Debian's package);
 *   3. Debian's `chromium` through apt-get, as root where apt-get exists (FLUXKIT_NO_APT=1 skips it).
 * No registry way: a browser build downloaded by an npm package's install script cannot be fetched on every
 * machine this project runs on, and Debian's build is the one CI has.
 */
const fs = require('node:fs');
const { onPath, aptInstall } = require('./tool-install.cjs');

const INSTALL_HINT =
  "Install Debian's chromium (`apt-get install chromium`, as root), or set FLUXKIT_CHROMIUM to a Chromium or " +
  'Google Chrome binary.';

class ChromiumUnavailableError extends Error {}

function isExecutableFile(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The Chromium already on this machine (FLUXKIT_CHROMIUM, then PATH), or undefined. */
function findChromium(env = process.env) {
  if (env.FLUXKIT_CHROMIUM) {
    if (isExecutableFile(env.FLUXKIT_CHROMIUM)) return env.FLUXKIT_CHROMIUM;
    throw new ChromiumUnavailableError(`FLUXKIT_CHROMIUM=${env.FLUXKIT_CHROMIUM} is not an executable file. ${INSTALL_HINT}`);
  }
  return onPath('chromium', env.PATH || '');
}

/**
 * The path of a Chromium, installing Debian's when the machine has none. Prints one line when it has to
 * obtain it and one with the time it took (apt-get's own output only in the error, it runs to hundreds of
 * lines). Rejects with what was tried and how to install it.
 */
async function obtainChromium({ log = console.log } = {}) {
  const found = findChromium();
  if (found) return found;
  const started = Date.now();
  log("[chromium] chromium not found on PATH: obtaining Debian's chromium through apt-get (first run only, about a minute)");
  const apt = await aptInstall(['chromium'], { log: () => undefined });
  const bin = apt.ok ? onPath('chromium') : undefined;
  if (!bin) {
    const reason = apt.ok ? 'apt-get installed chromium, but it is not on PATH' : apt.reason;
    throw new ChromiumUnavailableError(`Could not obtain Chromium for the browser specs:\n  - ${reason}\n${INSTALL_HINT}`);
  }
  log(`[chromium] obtained ${bin} through apt-get in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return bin;
}

module.exports = { findChromium, obtainChromium, ChromiumUnavailableError, INSTALL_HINT };
