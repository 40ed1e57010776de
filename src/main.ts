import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import { AppModule } from './app.module.js';
import { registerJsonBodyParser } from './body-parser.js';
import { loadConfig, type StandaloneConfig } from './config/environment.js';
import { readConfigOrExit } from './config/read-config.js';
import { installGracefulShutdown } from './graceful-shutdown.js';
import { createLogger, installAccessLog, PinoNestLogger } from './logging.js';
import { acceptedRequestId, REQUEST_ID_HEADER } from './messaging/common/request-id.js';
import { installRequestIds } from './messaging/observability/http-observability.js';
import { registerMethodNotAllowed } from './method-not-allowed.js';
import { serveOpenApi } from './openapi.js';
import { answerUnmetExpectations, preRoutingErrorOptions, refuseDotSegments } from './pre-routing-errors.js';
import { requestTimeoutOptions } from './request-timeouts.js';
import { MAX_UNSUBSCRIBE_TOKEN_LENGTH } from './messaging/consent/unsubscribe-token.js';
import { registerSecurityHeaders } from './security-headers.js';

const logger = new Logger('Bootstrap');

function readConfig(): StandaloneConfig {
  return readConfigOrExit(() => loadConfig(process.env));
}

async function bootstrap(): Promise<void> {
  const config = readConfig();
  const pinoLogger = await createLogger(config.log);
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    // Fastify's default of 100 is too short for a one-click unsubscribe token, which carries the
    // tenant and the address (consent/unsubscribe-token.ts); longer parameters still answer 414.
    // (Under routerOptions: the top-level option is deprecated and warns on every start.)
    routerOptions: { maxParamLength: MAX_UNSUBSCRIBE_TOKEN_LENGTH + 76 },
    ...requestTimeoutOptions(config.requestTimeoutMs),
    ...preRoutingErrorOptions,
    loggerInstance: pinoLogger,
    // installAccessLog writes one line per request, with the route pattern rather than the raw URL.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: (request: IncomingMessage) => acceptedRequestId(request.headers[REQUEST_ID_HEADER]),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forConfig(config), adapter, {
    logger: new PinoNestLogger(pinoLogger),
    bodyParser: false, // registerJsonBodyParser installs the only one
  });
  // First of all hooks, so every answer (404s and the docs included) carries X-Request-Id.
  const fastify = app.getHttpAdapter().getInstance();
  installRequestIds(fastify, () => true, (request) => request.id);
  installAccessLog(fastify, pinoLogger);
  registerJsonBodyParser(app, config.bodyLimitBytes, config.batchBodyLimitBytes);
  await registerSecurityHeaders(app);
  refuseDotSegments(app);
  answerUnmetExpectations(app.getHttpServer());
  // After helmet (so a 405 carries its headers) and the dot-segment refusal, before any route is registered.
  registerMethodNotAllowed(app);
  if (config.openApiEnabled) serveOpenApi(app);
  installGracefulShutdown(app);
  await app.listen(config.port, '0.0.0.0');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.log(`Listening on port ${port}`);
}

bootstrap().catch((error: unknown) => {
  logger.error(`Failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
