import 'reflect-metadata';
import { Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { HostExceptionFilter } from './host-exception.filter.js';

const logger = new Logger('HostApp');

const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(process.env), new FastifyAdapter());
// The host's own validation, as most Nest apps set it: unknown fields stripped, errors in Nest's
// {statusCode, message, error} shape. MessagingModule's routes keep their own stricter rules and envelope.
app.useGlobalPipes(new ValidationPipe({ whitelist: true, transform: true }));
if (process.env.HOST_EXCEPTION_FILTER === 'true') app.useGlobalFilters(new HostExceptionFilter());
app.enableShutdownHooks();
await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
const address = app.getHttpServer().address();
logger.log(`Listening on port ${typeof address === 'object' && address ? address.port : String(process.env.PORT)}`);
