import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request the receiver got, checked with the `standardwebhooks` package as a user's receiver would. */
export interface ReceivedWebhook {
  path: string;
  /** The `webhook-id` header. */
  id: string;
  /** Whether `Webhook.verify` accepted the signature, timestamp and headers. */
  verified: boolean;
  /** The parsed body (what `verify` returns), when verified. */
  payload?: unknown;
  headers: IncomingHttpHeaders;
  /** The HTTP status the receiver answered with. */
  answered: number;
}

export interface WebhookReceiverOptions {
  /** Answer 500 to the first this many requests of each `webhook-id` (a receiver that is failing). Default 0. */
  failFirst?: number;
}

/**
 * A user's webhook endpoint at the network edge: verifies every request with
 * `standardwebhooks`' `Webhook.verify` under the secret the app was given,
 * answers 500 to the first `failFirst` attempts of each event and 204 after.
 * Deduplication by `webhook-id` is the receiver's job; the tests look at
 * everything it got, retries included.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly webhook: Webhook;

  private constructor(
    private readonly server: Server,
    secret: string,
    private readonly options: WebhookReceiverOptions,
  ) {
    this.webhook = new Webhook(secret);
  }

  static async start(secret: string, options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server, secret, options);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const answered = receiver.receive(req.url ?? '/', req.headers, Buffer.concat(chunks).toString('utf8'));
        res.writeHead(answered).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /** `http://127.0.0.1:PORT` */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Every request whose verified payload satisfies `match`, in arrival order (retries included). */
  requestsFor(match: (payload: WebhookPayload) => boolean): ReceivedWebhook[] {
    const ids = new Set(this.received.filter((r) => r.verified && match(r.payload as WebhookPayload)).map((r) => r.id));
    return this.received.filter((r) => ids.has(r.id));
  }

  /** Waits until some request with a verified payload matching `match` was answered 2xx; resolves with all of that event's requests. */
  async waitForDelivered(match: (payload: WebhookPayload) => boolean, timeoutMs = 15_000): Promise<ReceivedWebhook[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const requests = this.requestsFor(match);
      if (requests.some((r) => r.answered < 300)) return requests;
      if (Date.now() > deadline) {
        throw new Error(`no webhook delivered in ${timeoutMs} ms; got ${JSON.stringify(this.received.map((r) => r.payload ?? r.id))}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private receive(path: string, headers: IncomingHttpHeaders, body: string): number {
    const id = typeof headers['webhook-id'] === 'string' ? headers['webhook-id'] : '';
    let payload: unknown;
    let verified = false;
    try {
      payload = this.webhook.verify(body, headers as Record<string, string>);
      verified = true;
    } catch {
      verified = false;
    }
    const earlier = this.received.filter((r) => r.id === id).length;
    const answered = !verified ? 400 : earlier < (this.options.failFirst ?? 0) ? 500 : 204;
    this.received.push({ path, id, verified, payload, headers, answered });
    return answered;
  }
}

/** What the app posts (docs/webhooks.md). */
export interface WebhookPayload {
  type: string;
  timestamp: string;
  data: {
    id: string;
    messageId: string | null;
    channel: string;
    to: string | string[];
    status: string;
    previousStatus: string;
    provider: string | null;
    error?: { code: string; message: string; providerCode?: string };
  };
}
