import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ChannelName } from '../common/channel-names.js';

/** Status label of messaging_messages_total: what became of one provider attempt. */
export type MessageOutcomeStatus = 'sent' | 'failed' | 'retrying';

/** What the module does with metrics (`metrics` option; METRICS_* variables in the standalone app). */
export interface MetricsOptions {
  /** Record metrics at all. Default `true`; `false` leaves every counter at zero (the bench's baseline). */
  enabled?: boolean;
  /**
   * Bearer token that opens GET <prefix>/metrics to scrapers not on loopback (compared in constant
   * time). Unset: only loopback may scrape.
   */
  token?: string;
  /**
   * Also collect Node's process metrics (CPU, memory, event loop lag, GC) in the module's registry.
   * Default `true`; turn it off when the host already collects them in a registry it merges with ours.
   */
  defaultMetrics?: boolean;
}

/** Buckets of the send and HTTP histograms, in seconds: SMTP and Twilio answer in 10 ms to 10 s. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The module's Prometheus metrics, in a registry of its own: never prom-client's global default
 * registry, so a host's registry, and two module instances in one process, do not collide. A host
 * serves or merges `registry` (`Registry.merge([host, metrics.registry])`).
 *
 * Recording is one typed method per fact; a new metric is one line, e.g.
 * `readonly webhookDeliveries = this.counter('messaging_webhook_deliveries_total', 'Webhook deliveries', ['outcome']);`
 * then `metrics.webhookDeliveries.inc({ outcome })` where `metrics.enabled` says so.
 */
export type WebhookDeliveryOutcome = 'delivered' | 'retrying' | 'failed' | 'dropped';

export class MessagingMetrics {
  readonly registry = new Registry();
  readonly enabled: boolean;

  readonly messages = this.counter('messaging_messages_total', 'Provider attempts by outcome', ['channel', 'provider', 'status']);
  readonly providerErrors = this.counter(
    'messaging_provider_errors_total',
    "Failed provider attempts, by the provider's error code (else ours)",
    ['provider', 'code'],
  );
  readonly webhookDeliveries = this.counter(
    'messaging_webhook_deliveries_total',
    'Status-change webhook attempts: delivered, retrying (failed, tried again), failed (given up), dropped (never tried)',
    ['outcome'],
  );
  readonly sendDuration = new Histogram({
    name: 'messaging_send_duration_seconds',
    help: 'Time a provider took to accept or refuse one message',
    labelNames: ['channel', 'provider'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'messaging_http_request_duration_seconds',
    help: 'HTTP requests to the module, by route pattern (never the raw URL) and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  constructor(options: MetricsOptions = {}) {
    this.enabled = options.enabled ?? true;
    if (this.enabled && (options.defaultMetrics ?? true)) collectDefaultMetrics({ register: this.registry });
  }

  /** One provider attempt ended: counted by outcome, timed, and a failure counted by its code. */
  attempt(channel: ChannelName, provider: string, status: MessageOutcomeStatus, seconds: number, errorCode?: string): void {
    if (!this.enabled) return;
    this.messages.inc({ channel, provider, status });
    this.sendDuration.observe({ channel, provider }, seconds);
    if (status !== 'sent') this.providerErrors.inc({ provider, code: errorCode ?? 'UNKNOWN' });
  }

  /** One status-change webhook attempt ended (or was dropped before one). */
  webhookDelivery(outcome: WebhookDeliveryOutcome): void {
    if (this.enabled) this.webhookDeliveries.inc({ outcome });
  }

  /** One HTTP request answered; `route` is the route pattern (`/messaging/logs/:id`), or `unmatched`. */
  httpRequest(method: string, route: string, status: number, seconds: number): void {
    if (!this.enabled) return;
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  /**
   * A gauge read when Prometheus scrapes (e.g. the queue's depth). When `read` fails or is slow
   * (`timeoutMs`), the gauge reads NaN in that scrape, never a stale value or a 0 that would look
   * like an empty queue, and the scrape itself still answers.
   */
  gaugeOnScrape(name: string, help: string, read: () => Promise<number>, timeoutMs: number): void {
    if (!this.enabled) return;
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.set(await withTimeout(read(), timeoutMs).catch(() => NaN));
      },
    });
  }

  /** The text Prometheus scrapes, and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  protected counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter<L>({ name, help, labelNames, registers: [this.registry] });
  }
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
