import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, type StandaloneConfig } from './config/environment.js';
import { readConfigOrExit } from './config/read-config.js';
import { WorkerModule } from './worker.module.js';
import { createLogger, PinoNestLogger } from './logging.js';
import { installWorkerShutdown } from './worker-shutdown.js';

const logger = new Logger('Bootstrap');

/** The API's variables (JWT_SECRET optional here), plus REDIS_URL, without which there is nothing to work on. */
function readConfig(): StandaloneConfig {
  return readConfigOrExit(() => {
    const config = loadConfig(process.env, 'worker');
    if (!config.messaging.redis) throw new ConfigError('REDIS_URL', 'is required to run delivery workers (or REDIS_SENTINELS, or REDIS_CLUSTER_NODES)');
    return config;
  });
}

/**
 * `node dist/worker.js`: delivery workers without the HTTP API, so workers
 * and API scale separately. A Nest application context (no server) with the
 * API's configuration; SIGTERM finishes the jobs in progress and exits 0.
 */
async function bootstrap(): Promise<void> {
  const config = readConfig();
  const nestLogger = new PinoNestLogger(await createLogger(config.log));
  const app = await NestFactory.createApplicationContext(WorkerModule.forConfig(config), { logger: nestLogger });
  installWorkerShutdown(app);
  logger.log('Worker process running');
}

bootstrap().catch((error: unknown) => {
  logger.error(`Failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
