import * as Sentry from '@sentry/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, flush, init, metrics, startSpan } from '../../../src/node/index';
import { sentryExporter } from '../../../src/node/sentry';
import { SENTRY_CLIENT_SAMPLE_RATE, type SentryMetricItem } from '../../../src/core/sentry/sentry-metric-items';
import { startEnvelopeServer, type ReceivedEnvelope } from '../../support/envelope-server';

// @sentry/node patches http in this process; vitest runs each test file in its own process.
let server: Awaited<ReturnType<typeof startEnvelopeServer>>;

function metricItems(envelopes: ReceivedEnvelope[]): SentryMetricItem[] {
  const items: SentryMetricItem[] = [];
  for (const envelope of envelopes) {
    for (const [header, payload] of envelope.items) {
      if (header.type === 'trace_metric') items.push(...(payload as { items: SentryMetricItem[] }).items);
    }
  }
  return items;
}

describe('sentryExporter through a real @sentry/node client', () => {
  beforeAll(async () => {
    server = await startEnvelopeServer();
    Sentry.init({ dsn: server.dsn, release: 'shop@1.2.3', environment: 'test', tracesSampleRate: 0, defaultIntegrations: false });
    init({ exporters: [sentryExporter()], flushIntervalMs: 0, tracesSampleRate: 1 });
  });

  afterAll(async () => {
    await close();
    await Sentry.close(2000);
    await server.close();
  });

  it('sends one summed point per counter series, the last gauge value, and weighted distribution points', async () => {
    for (let i = 0; i < 1000; i++) metrics.count('cart.add', 1, { attributes: { plan: i % 2 ? 'pro' : 'free' } });
    metrics.gauge('queue.depth', 7);
    metrics.gauge('queue.depth', 3);
    for (let i = 1; i <= 5000; i++) metrics.distribution('checkout.latency', (i % 1000) + 1, { unit: 'millisecond' });
    await startSpan({ name: 'checkout', op: 'task' }, () => metrics.count('in.span'));
    expect(await flush()).toBe(true);
    await Sentry.flush(2000);
    await server.waitFor((all) => metricItems(all).some((item) => item.name === 'checkout.latency'));

    const items = metricItems(server.envelopes);
    const counters = items.filter((item) => item.name === 'cart.add');
    expect(counters).toHaveLength(2);
    expect(counters.map((item) => [item.attributes.plan.value, item.value]).sort()).toEqual([
      ['free', 500],
      ['pro', 500],
    ]);
    expect(counters[0]).toMatchObject({
      type: 'counter',
      attributes: {
        'sentry.release': { value: 'shop@1.2.3', type: 'string' },
        'sentry.environment': { value: 'test', type: 'string' },
        'sentry.sdk.name': { value: 'isometer', type: 'string' },
      },
    });

    const gauges = items.filter((item) => item.name === 'queue.depth');
    expect(gauges).toEqual([expect.objectContaining({ type: 'gauge', value: 3 })]);

    const points = items.filter((item) => item.name === 'checkout.latency');
    expect(points.length).toBeGreaterThan(1);
    expect(points.length).toBeLessThanOrEqual(20);
    const extrapolated = points.reduce((total, item) => total + 1 / ((item.attributes[SENTRY_CLIENT_SAMPLE_RATE]?.value as number | undefined) ?? 1), 0);
    expect(extrapolated).toBeCloseTo(5000, 6);
    for (const point of points) {
      expect(point.unit).toBe('millisecond');
      expect(point.value).toBeGreaterThanOrEqual(1);
      expect(point.value).toBeLessThanOrEqual(1000);
    }

    const inSpan = items.find((item) => item.name === 'in.span');
    expect(inSpan?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(inSpan?.span_id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('wraps items in a trace_metric envelope item with the count and content type Sentry expects', () => {
    const envelope = server.envelopes.find((candidate) => candidate.items.some(([header]) => header.type === 'trace_metric'));
    expect(envelope?.header.sdk).toEqual({ name: 'isometer', version: expect.any(String) });
    const [header, payload] = envelope!.items.find(([candidate]) => candidate.type === 'trace_metric')!;
    expect(header).toEqual({ type: 'trace_metric', item_count: (payload as { items: unknown[] }).items.length, content_type: 'application/vnd.sentry.items.trace-metric+json' });
    expect(payload).toMatchObject({ version: 2 });
  });

  it("reports isometer's drops in Sentry's client reports", async () => {
    metrics.count('bad', Number.NaN);
    metrics.count('', 1);
    metrics.count('fine');
    expect(await flush()).toBe(true);
    await Sentry.flush(2000);
    await server.waitFor((all) => all.some((envelope) => envelope.items.some(([header]) => header.type === 'client_report')));
    const outcomes = server.envelopes
      .flatMap((envelope) => envelope.items.filter(([header]) => header.type === 'client_report'))
      .flatMap(([, payload]) => (payload as { discarded_events: Array<{ reason: string; category: string; quantity: number }> }).discarded_events);
    expect(outcomes).toContainEqual({ reason: 'invalid', category: 'trace_metric', quantity: 2 });
  });
});
