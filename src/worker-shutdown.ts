import { Logger, type INestApplicationContext } from '@nestjs/common';

/** Jobs in progress get this long in all (the worker itself lets go of them after 20 s). */
const SHUTDOWN_DEADLINE_MS = 25_000;

/**
 * SIGTERM/SIGINT for the worker process: close the application, which closes
 * the delivery worker first (it stops taking jobs and waits for those in
 * progress, which record their outcome), then the providers and MongoDB;
 * exit 0. Past the deadline it exits 1: a job still running then is taken
 * over by another worker once its lock expires.
 */
export function installWorkerShutdown(app: INestApplicationContext, logger = new Logger('Shutdown')): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received, finishing the jobs in progress`);
    const deadline = setTimeout(() => {
      logger.error(`Jobs still running after ${SHUTDOWN_DEADLINE_MS} ms; exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    app.close().then(
      () => {
        logger.log('Closed');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error(`Shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
