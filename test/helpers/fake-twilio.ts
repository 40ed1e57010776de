import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postStatusCallback, statusFields, type CallbackAnswer, type StatusCallbackOptions } from './twilio-status-callbacks.js';
import { accountResource, errorBody, fieldsOf, messageProblem, messageResource } from './fake-twilio-resources.js';

export { faults } from './fake-twilio-resources.js';

/**
 * A Twilio-compatible REST server on loopback, for tests, benchmarks and
 * reliability runs. Point the app at it with TWILIO_API_BASE_URL=fake.url.
 *
 *   const twilio = await FakeTwilio.start();
 *   twilio.failNext(faults.serverError(), { times: 2 });  // the next 2 Messages requests answer 500
 *   ...
 *   expect(twilio.messageRequests()[0].fields).toEqual({ To: '+1…', From: '+1…', Body: 'hi' });
 *   await twilio.stop();
 *
 * It serves `POST /2010-04-01/Accounts/{Sid}/Messages.json` (form-encoded,
 * repeated `MediaUrl` keys kept) and `GET /2010-04-01/Accounts/{Sid}.json`,
 * checks Basic auth against its SID and token, and answers with Twilio's JSON
 * shapes (201 message resource, `{code,message,more_info,status}` errors).
 */

/** Which requests a fault applies to, and which ones a count covers. */
export type FakeTwilioRoute = 'messages' | 'account' | 'any';

/** Something the fake does instead of (or before) answering normally. */
export type FakeTwilioFault =
  /** Answer this HTTP status with a Twilio error body. */
  | { type: 'error'; status: number; code: number; message: string }
  /** Answer normally, `delayMs` late (Infinity: never). */
  | { type: 'slow'; delayMs: number }
  /** Read the request, then destroy the connection without answering. */
  | { type: 'drop' };

export interface FakeTwilioOptions {
  /** Default: a random `AC` + 32 hex. */
  accountSid?: string;
  /** Default: random. */
  authToken?: string;
  /** Keep every request for inspection (default true). Benchmarks turn it off; counts are always kept. */
  record?: boolean;
}

/** One request as the fake received it. */
export interface ReceivedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  route: FakeTwilioRoute | 'other';
  /** Whether Basic auth carried the right SID and token. */
  authorized: boolean;
  headers: IncomingHttpHeaders;
  /** The form body; repeated keys keep every value, in order. */
  form: URLSearchParams;
  /** The form as a plain object: one value → string, repeated key → array. */
  fields: Record<string, string | string[]>;
  /** What the fake answered: an HTTP status, `dropped`, or `pending` (a slow answer not sent yet). */
  outcome: number | 'dropped' | 'pending';
  /** The JSON body the fake answered with (the message resource, with its `sid`, on success). */
  response?: Record<string, unknown>;
}

interface QueuedFault {
  fault: FakeTwilioFault;
  route: FakeTwilioRoute;
  remaining: number;
}

const API_VERSION = '/2010-04-01';

export class FakeTwilio {
  readonly accountSid: string;
  readonly authToken: string;
  private readonly recorded: ReceivedRequest[] = [];
  private readonly counts = { messages: 0, account: 0, any: 0 };
  private readonly faultQueue: QueuedFault[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waiters = new Set<() => void>();
  private readonly record: boolean;
  private server!: Server;
  /** `http://127.0.0.1:PORT`: the value of TWILIO_API_BASE_URL. */
  url = '';

  private constructor(options: FakeTwilioOptions) {
    this.accountSid = options.accountSid ?? `AC${randomBytes(16).toString('hex')}`;
    this.authToken = options.authToken ?? randomBytes(16).toString('hex');
    this.record = options.record ?? true;
  }

  /** Starts a fake on 127.0.0.1, on a free port. */
  static async start(options: FakeTwilioOptions = {}): Promise<FakeTwilio> {
    const fake = new FakeTwilio(options);
    fake.server = createServer((req, res) => fake.receive(req, res));
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** The variables that point the app at this fake (SMS and WhatsApp senders not included). */
  env(): Record<string, string> {
    return { TWILIO_ACCOUNT_SID: this.accountSid, TWILIO_AUTH_TOKEN: this.authToken, TWILIO_API_BASE_URL: this.url };
  }

  /** Every recorded request, oldest first. */
  get requests(): readonly ReceivedRequest[] {
    return this.recorded;
  }

  /** Recorded Create Message requests, oldest first. */
  messageRequests(): ReceivedRequest[] {
    return this.recorded.filter((r) => r.route === 'messages');
  }

  /** How many requests reached a route (counted even when recording is off). */
  requestCount(route: FakeTwilioRoute = 'messages'): number {
    return this.counts[route];
  }

  /** The next `times` requests to `route` (default: 1, messages) meet `fault`. Faults queue in order. */
  failNext(fault: FakeTwilioFault, options: { times?: number; route?: FakeTwilioRoute } = {}): this {
    this.faultQueue.push({ fault, route: options.route ?? 'messages', remaining: options.times ?? 1 });
    return this;
  }

  /** Forgets recorded requests, counts and queued faults (between tests). */
  reset(): void {
    this.recorded.length = 0;
    this.faultQueue.length = 0;
    this.counts.messages = this.counts.account = this.counts.any = 0;
  }

  /** Resolves once `count` requests reached `route`; rejects after `timeoutMs`. */
  async waitForRequests(count: number, route: FakeTwilioRoute = 'messages', timeoutMs = 5_000): Promise<void> {
    if (this.counts[route] >= count) return;
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (this.counts[route] < count) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`fake Twilio: ${this.counts[route]}/${count} ${route} requests after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /**
   * Posts Twilio's status callback for message `sid` to the StatusCallback URL its create carried,
   * signed with this account's token (twilio-status-callbacks.ts), and resolves with the app's answer.
   */
  async sendStatus(sid: string, status: string, options: StatusCallbackOptions = {}): Promise<CallbackAnswer> {
    const created = this.recorded.find((r) => r.route === 'messages' && r.response?.['sid'] === sid);
    const url = created?.fields['StatusCallback'];
    if (typeof url !== 'string') throw new Error(`fake Twilio: message ${sid} was created without a StatusCallback`);
    const fields = statusFields(options.accountSid ?? this.accountSid, sid, status, options.errorCode);
    return postStatusCallback(url, fields, options.authToken ?? this.authToken, options);
  }

  /** Stops listening, drops open connections (slow answers included). */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
  }

  private handle(req: IncomingMessage, res: ServerResponse, rawBody: string): void {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = this.routeOf(req.method ?? 'GET', path);
    const form = new URLSearchParams(rawBody);
    const received: ReceivedRequest = {
      method: req.method ?? 'GET',
      path,
      route,
      authorized: this.isAuthorized(req.headers.authorization),
      headers: req.headers,
      form,
      fields: fieldsOf(form),
      outcome: 'pending',
    };
    this.count(route);
    if (this.record) this.recorded.push(received);
    const fault = this.takeFault(route);
    if (fault?.type === 'drop') {
      received.outcome = 'dropped';
      req.socket.destroy();
    } else if (fault?.type === 'error') {
      this.answer(res, received, fault.status, errorBody(fault.status, fault.code, fault.message));
    } else if (fault?.type === 'slow') {
      if (fault.delayMs === Infinity) return;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!res.destroyed) this.answerNormally(res, received);
      }, fault.delayMs);
      this.timers.add(timer);
    } else {
      this.answerNormally(res, received);
    }
  }

  private answerNormally(res: ServerResponse, received: ReceivedRequest): void {
    if (!received.authorized) {
      this.answer(res, received, 401, errorBody(401, 20003, 'Authenticate'));
    } else if (received.route === 'account') {
      this.answer(res, received, 200, accountResource(this.accountSid));
    } else if (received.route === 'messages') {
      const problem = messageProblem(received.form);
      if (problem) this.answer(res, received, problem.status, problem);
      else this.answer(res, received, 201, messageResource(this.accountSid, received.form));
    } else {
      const message = `The requested resource ${received.path} was not found`;
      this.answer(res, received, 404, errorBody(404, 20404, message));
    }
  }

  private answer(res: ServerResponse, received: ReceivedRequest, status: number, body: object): void {
    received.outcome = status;
    received.response = { ...body };
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }

  private routeOf(method: string, path: string): FakeTwilioRoute | 'other' {
    const base = `${API_VERSION}/Accounts/${this.accountSid}`;
    if (method === 'POST' && path === `${base}/Messages.json`) return 'messages';
    if (method === 'GET' && path === `${base}.json`) return 'account';
    return 'other';
  }

  private isAuthorized(header: string | undefined): boolean {
    const expected = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
    return header === expected;
  }

  private count(route: FakeTwilioRoute | 'other'): void {
    this.counts.any++;
    if (route !== 'other') this.counts[route]++;
    for (const waiter of [...this.waiters]) waiter();
  }

  private takeFault(route: FakeTwilioRoute | 'other'): FakeTwilioFault | undefined {
    const index = this.faultQueue.findIndex((q) => q.route === 'any' || q.route === route);
    const queued = this.faultQueue[index];
    if (!queued) return undefined;
    if (--queued.remaining <= 0) this.faultQueue.splice(index, 1);
    return queued.fault;
  }
}
