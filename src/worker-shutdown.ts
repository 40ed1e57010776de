import { Logger, type INestApplicationContext } from '@nestjs/common';
import { closeOnSignal } from './graceful-shutdown.js';

/**
 * SIGTERM/SIGINT for the worker process: close the application, which closes
 * the delivery worker first (it stops taking jobs and waits for those in
 * progress, which record their outcome; it lets go of them after 20 s), then
 * the providers and MongoDB; exit 0. Past the 25 s deadline it exits 1: a job
 * still running then is taken over by another worker once its lock expires.
 */
export function installWorkerShutdown(app: INestApplicationContext, logger = new Logger('Shutdown')): void {
  closeOnSignal(app, { doing: 'finishing the jobs in progress', stillRunning: 'Jobs' }, logger);
}
