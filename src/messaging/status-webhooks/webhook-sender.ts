import { Webhook } from 'standardwebhooks';
import type { WebhookEvent } from './webhook-event.js';

/** No receiver holds an attempt longer than this; then it counts as failed and is retried. */
export const WEBHOOK_ATTEMPT_TIMEOUT_MS = 10_000;

/** One attempt failed: `reason` is short and safe to log (no URL, no body). */
export class WebhookAttemptError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'WebhookAttemptError';
  }
}

/**
 * One signed POST of an event to a receiver. Signed per attempt by the
 * Standard Webhooks scheme (`standardwebhooks`): the id and the body stay
 * those of the event, the timestamp is the attempt's, so a retry minutes
 * later still passes the receiver's freshness check. Credentials in the
 * URL become a Basic Authorization header (fetch refuses them in the URL).
 */
export class WebhookSender {
  private readonly webhook: Webhook;

  constructor(secret: string, private readonly timeoutMs = WEBHOOK_ATTEMPT_TIMEOUT_MS) {
    this.webhook = new Webhook(secret);
  }

  async post(url: string, event: WebhookEvent): Promise<void> {
    const target = new URL(url);
    const authorization = target.username || target.password ? basic(target) : undefined;
    target.username = '';
    target.password = '';
    const timestamp = new Date();
    let status: number;
    try {
      const response = await fetch(target, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'fluxkit-messaging-webhooks',
          'webhook-id': event.id,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': this.webhook.sign(event.id, timestamp, event.body),
          ...(authorization ? { authorization } : {}),
        },
        body: event.body,
      });
      status = response.status;
      await response.body?.cancel().catch(() => undefined);
    } catch (error) {
      throw new WebhookAttemptError(reasonOf(error, this.timeoutMs));
    }
    if (status < 200 || status >= 300) throw new WebhookAttemptError(`HTTP ${status}`);
  }
}

function basic(url: URL): string {
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

/** The network's reason (ECONNREFUSED, a timeout), never the URL. */
function reasonOf(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.name : 'request failed';
}
