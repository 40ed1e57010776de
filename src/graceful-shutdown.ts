import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** In-flight requests get this long to finish before the process gives up on them. */
const DRAIN_DEADLINE_MS = 25_000;
/** How often idle keep-alive connections are closed while draining. */
const IDLE_SWEEP_MS = 100;

/**
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish,
 * run the modules' shutdown hooks (the MongoDB connection and SMTP pool
 * close), then exit 0. Node's server.close() waits for every connection,
 * and a client's keep-alive connection stays open after its last response,
 * so idle connections are swept while draining; otherwise one idle client
 * would hold the process until its keep-alive timeout.
 */
export function installGracefulShutdown(app: NestFastifyApplication, logger = new Logger('Shutdown')): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received, draining in-flight requests`);
    const server = app.getHttpServer();
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const deadline = setTimeout(() => {
      logger.error(`Requests still running after ${DRAIN_DEADLINE_MS} ms; exiting anyway`);
      process.exit(1);
    }, DRAIN_DEADLINE_MS);
    deadline.unref();
    app.close().then(
      () => {
        clearInterval(sweep);
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
