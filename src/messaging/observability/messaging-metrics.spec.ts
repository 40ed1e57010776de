import { register as globalRegistry } from 'prom-client';
import { MessagingMetrics } from './messaging-metrics.js';
import { isLoopback } from './metrics-access.guard.js';

describe('MessagingMetrics', () => {
  it('keeps two instances in one process apart, and out of the global default registry', async () => {
    const first = new MessagingMetrics({ defaultMetrics: true });
    const second = new MessagingMetrics({ defaultMetrics: true });
    first.attempt('sms', 'twilio', 'sent', 0.2);
    first.attempt('sms', 'twilio', 'failed', 0.1, '21211');
    expect((await first.messages.get()).values.map((v) => [v.labels.status, v.value])).toEqual([['sent', 1], ['failed', 1]]);
    expect((await second.messages.get()).values).toEqual([]);
    expect((await first.providerErrors.get()).values).toEqual([{ labels: { provider: 'twilio', code: '21211' }, value: 1 }]);
    expect(globalRegistry.getSingleMetric('messaging_messages_total')).toBeUndefined();
  });

  it('records nothing when disabled', async () => {
    const metrics = new MessagingMetrics({ enabled: false });
    metrics.attempt('email', 'smtp', 'sent', 0.1);
    metrics.httpRequest('POST', '/messaging/email', 200, 0.1);
    expect((await metrics.messages.get()).values).toEqual([]);
    expect((await metrics.registry.getMetricsAsJSON()).map((m) => m.name)).not.toContain('process_cpu_user_seconds_total');
  });

  it('reads NaN (not 0, not a stale value) when a gauge reading fails or is late, and still answers', async () => {
    const metrics = new MessagingMetrics({ defaultMetrics: false });
    metrics.gaugeOnScrape('late_gauge', 'late', () => new Promise<number>(() => undefined), 20);
    metrics.gaugeOnScrape('failing_gauge', 'fails', () => Promise.reject(new Error('down')), 20);
    metrics.gaugeOnScrape('ok_gauge', 'ok', () => Promise.resolve(7), 20);
    const { body } = await metrics.scrape();
    expect(body).toContain('ok_gauge 7');
    // prom-client writes "Nan"; Prometheus reads NaN in any case (Go's ParseFloat).
    expect(body).toMatch(/^late_gauge nan$/im);
    expect(body).toMatch(/^failing_gauge nan$/im);
  });
});

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['192.0.2.2', false],
    ['::ffff:192.0.2.2', false],
    ['fd00::2', false],
    ['127.0.0.1.example.com', false],
    [undefined, false],
  ])('%s -> %s', (address, expected) => {
    expect(isLoopback(address)).toBe(expected);
  });
});
