import * as Sentry from '@sentry/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, flush, init, metrics } from '../../../src/node/index';
import { sentryExporter } from '../../../src/node/sentry';
import { testViewer } from './viewer-fixture';

// @sentry/node patches http in this process; vitest runs each test file in its own process.
let viewer: Awaited<ReturnType<typeof testViewer>>;

describe('isometer dev, fed by a real @sentry/node client (only its DSN changed)', () => {
  beforeAll(async () => {
    viewer = await testViewer();
    const address = viewer.url.slice('http://'.length);
    // The DSN's public key names the service: `SENTRY_DSN=http://checkout_api@127.0.0.1:8976/0`.
    Sentry.init({ dsn: `http://checkout_api@${address}/0`, release: 'shop@1.0.0', tracesSampleRate: 1, defaultIntegrations: false });
    init({ exporters: [sentryExporter()], flushIntervalMs: 0 });
  });

  afterAll(async () => {
    await close();
    await Sentry.close(2000);
    await viewer.close();
  });

  it("shows a transaction's spans as one tree, labelled with the service, the SDK and the sample rate", async () => {
    const traceId = Sentry.startSpan({ name: 'GET /orders', op: 'http.server' }, (root) => {
      Sentry.startSpan({ name: 'SELECT orders', op: 'db' }, () => undefined);
      return root.spanContext().traceId;
    });
    await Sentry.flush(2000);
    await expect.poll(async () => (await viewer.state()).traces.find((trace) => trace.traceId === traceId)?.spans.length ?? 0, { timeout: 15_000 }).toBe(2);

    const trace = (await viewer.state()).traces.find((candidate) => candidate.traceId === traceId)!;
    expect(trace.decision).toBe('sampled');
    expect(trace.spans.map((span) => [span.name, span.op, span.depth, span.service, span.sdk, span.sampled, span.sampleRate])).toEqual([
      ['GET /orders', 'http.server', 0, 'checkout_api', 'sentry.javascript.node', true, 1],
      ['SELECT orders', 'db', 1, 'checkout_api', 'sentry.javascript.node', true, 1],
    ]);
  });

  it("takes Sentry's own trace_metric items: counters, gauges and distributions", async () => {
    Sentry.metrics.count('orders.placed', 2, { attributes: { plan: 'pro' } });
    Sentry.metrics.count('orders.placed', 3, { attributes: { plan: 'pro' } });
    Sentry.metrics.gauge('queue.depth', 7);
    for (const ms of [10, 20, 30]) Sentry.metrics.distribution('checkout.latency', ms, { unit: 'millisecond' });
    await Sentry.flush(2000);
    await expect.poll(async () => (await viewer.state()).metricNames, { timeout: 15_000 }).toEqual(expect.arrayContaining(['checkout.latency', 'orders.placed', 'queue.depth']));

    const state = await viewer.state();
    expect(state.received.rejected).toEqual({});
    expect(state.charts.counters.find((chart) => chart.name === 'orders.placed')).toMatchObject({ total: 5, services: ['checkout_api'] });
    expect(state.series.find((series) => series.name === 'orders.placed')!.attributes).toMatchObject({ plan: 'pro' });
    expect(state.charts.gauges.find((chart) => chart.name === 'queue.depth')!.series[0].latest).toBe(7);
    expect(state.charts.distributions.find((chart) => chart.name === 'checkout.latency')!.overall).toMatchObject({ count: 3, min: 10, max: 30 });
  });

  it("reads isometer's weighted distribution items through Sentry's transport as weights: counts and percentiles survive", async () => {
    for (let ms = 1; ms <= 5000; ms++) metrics.distribution('render.time', ms, { unit: 'millisecond' });
    expect(await flush()).toBe(true);
    await Sentry.flush(2000);
    await expect.poll(async () => (await viewer.state()).charts.distributions.find((chart) => chart.name === 'render.time')?.overall.count ?? 0, { timeout: 15_000 }).toBe(5000);

    const overall = (await viewer.state()).charts.distributions.find((chart) => chart.name === 'render.time')!.overall;
    expect(overall).toMatchObject({ min: 1, max: 5000 });
    // At most 20 weighted points stand for 5000 values; each percentile lands within a point's share of them.
    for (const [key, exact] of [
      ['p50', 2500],
      ['p90', 4500],
      ['p99', 4950],
    ] as const)
      expect(Math.abs(overall[key] - exact) / exact).toBeLessThan(0.1);
  });
});
