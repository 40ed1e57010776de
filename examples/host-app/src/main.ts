import 'reflect-metadata';
import { Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';

const logger = new Logger('HostApp');

const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(process.env), new FastifyAdapter());
// The host's own validation, Nest's defaults: unknown fields pass, errors in Nest's
// {statusCode, message, error} shape. MessagingModule's stricter pipe stays on its own routes.
app.useGlobalPipes(new ValidationPipe({ transform: true }));
app.enableShutdownHooks();
await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
const address = app.getHttpServer().address();
logger.log(`Listening on port ${typeof address === 'object' && address ? address.port : String(process.env.PORT)}`);
