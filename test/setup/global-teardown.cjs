'use strict';
/** Jest globalTeardown: stops only the FerretDB and Redis that global-setup.cjs started, and removes its data. */
const fs = require('node:fs');
const services = require('../../scripts/local-services.cjs');

module.exports = async function globalTeardown() {
  const redis = globalThis.__FLUXKIT_TEST_REDIS__;
  if (redis) {
    globalThis.__FLUXKIT_TEST_REDIS__ = undefined;
    await services.stopStarted([redis.handle]);
    fs.rmSync(redis.dataDir, { recursive: true, force: true });
  }
  const state = globalThis.__FLUXKIT_TEST_DB__;
  if (!state) return; // MONGODB_URI was given: nothing was started
  globalThis.__FLUXKIT_TEST_DB__ = undefined;
  await services.stopStarted([state.handle]);
  fs.rmSync(state.dataRoot, { recursive: true, force: true });
};
