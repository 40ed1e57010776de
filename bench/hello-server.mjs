#!/usr/bin/env node
/**
 * The ceiling: a Fastify server that does no work at all. Any route, any
 * method: parses the JSON body (as every real server must) and answers a
 * small JSON object. What the machine, Node and autocannon allow, with
 * nothing of ours or the baseline's in the way.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.all('/*', async () => ({ hello: 'world' }));

await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
const close = () => void app.close().then(() => process.exit(0));
process.once('SIGTERM', close);
process.once('SIGINT', close);
