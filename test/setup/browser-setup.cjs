'use strict';
/**
 * Jest globalSetup of the `browser` project (jest.config.js): Jest runs it only when a browser spec
 * (test/*.browser.e2e-spec.ts) is in the run, once, before any worker starts, so two browser specs never
 * race to install Chromium. It finds or obtains Chromium (scripts/lib/chromium.cjs) and hands its path to the
 * workers in FLUXKIT_CHROMIUM. When that fails the run goes on: the message is handed over in
 * FLUXKIT_CHROMIUM_ERROR and test/helpers/browser.ts fails every browser spec with it (never a silent skip),
 * while the other specs run as usual.
 */
const { obtainChromium } = require('../../scripts/lib/chromium.cjs');

module.exports = async function browserSetup() {
  try {
    process.env.FLUXKIT_CHROMIUM = await obtainChromium({ log: (line) => process.stderr.write(`${line}\n`) });
    delete process.env.FLUXKIT_CHROMIUM_ERROR;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.env.FLUXKIT_CHROMIUM_ERROR = message;
    process.stderr.write(`[chromium] ${message}\n`);
  }
};
