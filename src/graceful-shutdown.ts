import { Logger, type INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { trackUnfinishedRequests } from './request-timeouts.js';

/** What is still running gets this long to finish before the process gives up on it. */
const SHUTDOWN_DEADLINE_MS = 25_000;
/** How often idle keep-alive connections are closed while draining. */
const IDLE_SWEEP_MS = 100;

interface ShutdownSteps {
  /** Logged after "<signal> received, ", e.g. "draining in-flight requests". */
  doing: string;
  /** Logged before " still running after N ms; exiting anyway", e.g. "Requests". */
  stillRunning: string;
  /** Started when the signal arrives; the function it returns is called once the app closed. */
  whileClosing?: () => () => void;
}

/**
 * SIGTERM/SIGINT for either process (API or worker): close the application
 * once (running the modules' shutdown hooks), exit 0 when it closed, 1 when
 * closing failed or took longer than the deadline.
 */
export function closeOnSignal(app: INestApplicationContext, steps: ShutdownSteps, logger = new Logger('Shutdown')): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received, ${steps.doing}`);
    const stop = steps.whileClosing?.();
    const deadline = setTimeout(() => {
      logger.error(`${steps.stillRunning} still running after ${SHUTDOWN_DEADLINE_MS} ms; exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    app.close().then(
      () => {
        stop?.();
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

/**
 * The API: stop accepting connections, let in-flight requests finish, run
 * the modules' shutdown hooks (the MongoDB connection and SMTP pool close),
 * then exit 0. Node's server.close() waits for every connection, and a
 * client's keep-alive connection stays open after its last response, so idle
 * connections are swept while draining; otherwise one idle client would hold
 * the process until its keep-alive timeout. A request still arriving gets
 * at most the request timeout (REQUEST_TIMEOUT_MS) more, see request-timeouts.ts.
 */
export function installGracefulShutdown(app: NestFastifyApplication, logger = new Logger('Shutdown')): void {
  const cutUnfinishedRequests = trackUnfinishedRequests(app.getHttpServer());
  closeOnSignal(
    app,
    {
      doing: 'draining in-flight requests',
      stillRunning: 'Requests',
      whileClosing: () => {
        const server = app.getHttpServer();
        const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
        const stopCutting = cutUnfinishedRequests();
        return () => {
          clearInterval(sweep);
          stopCutting();
        };
      },
    },
    logger,
  );
}
