import { Injectable, Optional } from '@nestjs/common';
import { MessagingMetrics, type WebhookDeliveryOutcome } from '../observability/messaging-metrics.js';
import { describeWebhookUrl } from './webhook-target.js';

export interface WebhookFailure {
  /** ISO time of the failed attempt. */
  at: string;
  /** The receiver, without credentials or query. */
  url: string;
  /** `HTTP 500`, `ECONNREFUSED`, `no answer within 10000 ms`, ... */
  reason: string;
}

export interface WebhooksHealth {
  /** How many receivers are configured. */
  urls: number;
  /** The last attempt of this process that failed (retried or not); absent until one does. */
  lastFailure?: WebhookFailure;
}

/** What /messaging/health says about webhooks (undefined when none are configured); each outcome is also counted in the metrics. */
@Injectable()
export class WebhookHealth {
  private urls = 0;
  private lastFailure: WebhookFailure | undefined;

  constructor(@Optional() private readonly metrics?: MessagingMetrics) {}

  configured(urls: number): void {
    this.urls = urls;
  }

  delivered(): void {
    this.metrics?.webhookDelivery('delivered');
  }

  /** `outcome`: `retrying` while attempts remain, `failed` for the last one, `dropped` when none was made. */
  failed(url: string, reason: string, outcome: Exclude<WebhookDeliveryOutcome, 'delivered'>): void {
    this.lastFailure = { at: new Date().toISOString(), url: describeWebhookUrl(url), reason };
    this.metrics?.webhookDelivery(outcome);
  }

  report(): WebhooksHealth | undefined {
    if (this.urls === 0) return undefined;
    return { urls: this.urls, ...(this.lastFailure ? { lastFailure: this.lastFailure } : {}) };
  }
}
