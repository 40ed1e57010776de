import { Injectable } from '@nestjs/common';
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

/** What /messaging/health says about webhooks: undefined when none are configured. */
@Injectable()
export class WebhookHealth {
  private urls = 0;
  private lastFailure: WebhookFailure | undefined;

  configured(urls: number): void {
    this.urls = urls;
  }

  failed(url: string, reason: string): void {
    this.lastFailure = { at: new Date().toISOString(), url: describeWebhookUrl(url), reason };
  }

  report(): WebhooksHealth | undefined {
    if (this.urls === 0) return undefined;
    return { urls: this.urls, ...(this.lastFailure ? { lastFailure: this.lastFailure } : {}) };
  }
}
