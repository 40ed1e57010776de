import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, type StandaloneConfig } from './config/environment.js';
import { WorkerModule } from './worker.module.js';
import { installWorkerShutdown } from './worker-shutdown.js';

const logger = new Logger('Bootstrap');

/** The API's variables (JWT_SECRET optional here), plus REDIS_URL, without which there is nothing to work on. */
function readConfig(): StandaloneConfig {
  try {
    const config = loadConfig(process.env, 'worker');
    if (!config.messaging.redis) throw new ConfigError('REDIS_URL', 'is required to run delivery workers');
    return config;
  } catch (error) {
    if (error instanceof ConfigError) {
      // One line naming the variable; never echo secret values.
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * `node dist/worker.js`: delivery workers without the HTTP API, so workers
 * and API scale separately. A Nest application context (no server) with the
 * API's configuration; SIGTERM finishes the jobs in progress and exits 0.
 */
async function bootstrap(): Promise<void> {
  const config = readConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule.forConfig(config), { bufferLogs: false });
  installWorkerShutdown(app);
  logger.log('Worker process running');
}

bootstrap().catch((error: unknown) => {
  logger.error(`Failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
