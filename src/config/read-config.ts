import { ConfigError, type StandaloneConfig } from './environment.js';

/**
 * Runs `load` (the API's or the worker's reading of the environment); on a
 * ConfigError prints one line naming the variable, never its value (it may
 * be a secret), and exits 1. Other errors are bugs and propagate.
 */
export function readConfigOrExit(load: () => StandaloneConfig): StandaloneConfig {
  try {
    return load();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
