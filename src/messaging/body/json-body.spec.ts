import type { ExecutionContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { BATCH_ROUTE_CONFIG, MAX_BATCH_INPUT_ENTRIES } from '../common/batch-limits.js';
import { MessagingError } from '../errors/messaging.errors.js';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '../errors/pre-handler-errors.js';
import { JsonBodyGuard } from './json-body.guard.js';
import { createJsonBodyParser, jsonBodyHeadersProblem, parseJsonBody } from './json-body.js';

const codeOf = (error: MessagingError | undefined) => error?.code;

describe('jsonBodyHeadersProblem', () => {
  it.each(['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON ; Charset="UTF-8"', 'application/json; foo=bar'])(
    'accepts %s',
    (type) => expect(jsonBodyHeadersProblem({ 'content-type': type })).toBeUndefined(),
  );

  it.each([undefined, 'text/plain', 'application/x-www-form-urlencoded', 'application/vnd.api+json', 'multipart/form-data; boundary=x'])(
    'answers 415 to the content type %s',
    (type) => expect(jsonBodyHeadersProblem({ 'content-type': type })?.message).toBe('Unsupported Content-Type: send application/json'),
  );

  it('answers 415 to another charset and to a content coding', () => {
    expect(jsonBodyHeadersProblem({ 'content-type': 'application/json; charset=latin1' })?.message).toMatch(/"latin1": send JSON as UTF-8/);
    expect(codeOf(jsonBodyHeadersProblem({ 'content-type': 'application/json', 'content-encoding': 'gzip' }))).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(jsonBodyHeadersProblem({ 'content-type': 'application/json', 'content-encoding': 'identity' })).toBeUndefined();
  });
});

describe('parseJsonBody', () => {
  it('parses UTF-8 JSON, with or without a byte order mark', () => {
    expect(parseJsonBody(Buffer.from('{"a":"Zoë 👋"}'))).toEqual({ a: 'Zoë 👋' });
    expect(parseJsonBody(Buffer.from('\uFEFF{"a":1}'))).toEqual({ a: 1 });
  });

  it.each<[string, Buffer, string]>([
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]), 'Request body is not valid UTF-8'],
    ['an empty body', Buffer.from('  '), 'Request body is empty'],
    ['malformed JSON', Buffer.from('{"a":'), 'Request body is not valid JSON'],
    ['a repeated key', Buffer.from('{"a":1,"a":2}'), 'Request body has a key twice: a'],
  ])('refuses %s with VALIDATION_ERROR', (_label, bytes, message) => {
    expect(() => parseJsonBody(bytes)).toThrow(message);
  });
});

describe('createJsonBodyParser', () => {
  it('fits a host app\'s useBodyParser (README: "Strict JSON in a host app")', () => {
    const register = (app: NestFastifyApplication) => app.useBodyParser('application/json', {}, createJsonBodyParser());
    expect(typeof register).toBe('function'); // the point is that this compiles
  });

  it('passes errors with statusCode, so Fastify or a host filter answers 400/415 without our filter', () => {
    const parse = createJsonBodyParser();
    const results: Array<[Error | null, unknown]> = [];
    const done = (error: Error | null, body?: unknown) => results.push([error, body]);
    parse({ headers: { 'content-type': 'application/json' } }, Buffer.from('{"a":1}'), done);
    parse({ headers: { 'content-type': 'text/plain' } }, Buffer.from('{"a":1}'), done);
    parse({ headers: { 'content-type': 'application/json' } }, Buffer.from('{"a":1,"a":1}'), done);
    expect(results[0]).toEqual([null, { a: 1 }]);
    expect(results.slice(1).map(([error]) => (error as Error & { statusCode?: number }).statusCode)).toEqual([415, 400]);
  });
});

describe('JsonBodyGuard', () => {
  /** A handler as Nest hands it over: a batch route's carries the route config that raises the limits. */
  const singleRoute = () => undefined;
  const batchRoute = () => undefined;
  Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, BATCH_ROUTE_CONFIG, batchRoute);
  const contextOf = (headers: IncomingHttpHeaders, body?: unknown, handler: () => void = singleRoute) =>
    ({ switchToHttp: () => ({ getRequest: () => ({ headers, body }) }), getHandler: () => handler }) as unknown as ExecutionContext;
  const guard = new JsonBodyGuard();

  it('lets requests without a body through, whatever their content type', () => {
    expect(guard.canActivate(contextOf({}))).toBe(true);
    expect(guard.canActivate(contextOf({ 'content-type': 'text/plain', 'content-length': '0' }))).toBe(true);
  });

  it.each<[string, IncomingHttpHeaders]>([
    ['a form (a host parsed it)', { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '10' }],
    ['text/plain, chunked', { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' }],
    ['JSON in latin1', { 'content-type': 'application/json; charset=latin1', 'content-length': '10' }],
    ['gzipped JSON', { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': '10' }],
  ])('refuses %s with 415', (_label, headers) => {
    expect(() => guard.canActivate(contextOf(headers))).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 }) as Error);
  });

  it('lets a JSON body through', () => {
    expect(guard.canActivate(contextOf({ 'content-type': 'application/json', 'content-length': '10' }, { to: 'x' }))).toBe(true);
  });

  it('refuses a body beyond the input limits before any pipe (a host global pipe included) sees it', () => {
    const body = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, 0]));
    const headers = { 'content-type': 'application/json', 'content-length': '50000' };
    expect(() => guard.canActivate(contextOf(headers, body))).toThrow('Request has more than 1000 keys and list items');
  });

  it('lets a batch route take more keys than a single route, up to its own limit', () => {
    const headers = { 'content-type': 'application/json', 'content-length': '50000' };
    const messages = Array.from({ length: 1_000 }, (_, i) => ({ to: `+1555000${String(i).padStart(4, '0')}`, body: 'x' }));
    expect(guard.canActivate(contextOf(headers, { messages }, batchRoute))).toBe(true);
    expect(() => guard.canActivate(contextOf(headers, { messages }))).toThrow('Request has more than 1000 keys and list items');
    const tooMany = Object.fromEntries(Array.from({ length: MAX_BATCH_INPUT_ENTRIES + 1 }, (_, i) => [`k${i}`, 0]));
    expect(() => guard.canActivate(contextOf(headers, tooMany, batchRoute))).toThrow(`Request has more than ${MAX_BATCH_INPUT_ENTRIES} keys and list items`);
  });
});
