import { afterEach, describe, expect, it } from 'vitest';
import { createSocket } from 'node:dgram';
import { StatsD } from 'hot-shots';
import { init } from '../../../src/core/sdk/init';
import { close } from '../../../src/core/sdk/lifecycle';
import { metrics } from '../../../src/core/metrics/metrics';
import { startSpan } from '../../../src/core/trace/start-span';
import { otlpExporter } from '../../../src/core/export/otlp/otlp-exporter';
import { createNodeHttpTransport } from '../../../src/node/http-transport';
import { statsdExporter } from '../../../src/node/statsd/statsd-exporter';
import { viewerExporter } from '../../../src/dev/viewer-exporter';
import { testViewer } from './viewer-fixture';

const viewers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await close(2000);
  for (const viewer of viewers.splice(0)) await viewer.close();
});

async function started(options: Parameters<typeof testViewer>[0] = {}) {
  const viewer = await testViewer(options);
  viewers.push(viewer);
  return viewer;
}

describe('isometer dev, fed by isometer', () => {
  it('takes OTLP/HTTP JSON from the otlpExporter: counters, gauges, distributions and the sampled span, one trace', async () => {
    const viewer = await started();
    const client = init({ serviceName: 'checkout', tracesSampleRate: 1, flushIntervalMs: 0, exporters: [otlpExporter({ endpoint: viewer.url, transport: createNodeHttpTransport() })] });
    const traceId = startSpan({ name: 'place order', op: 'task' }, (span) => {
      metrics.count('orders.placed', 2, { attributes: { plan: 'pro' } });
      metrics.gauge('cart.size', 4);
      for (const ms of [12, 15, 480]) metrics.distribution('db.query.duration', ms, { unit: 'millisecond' });
      return span.traceId;
    });
    expect(await client.flush()).toBe(true);

    const state = await viewer.state();
    expect(state.metricNames).toEqual(expect.arrayContaining(['cart.size', 'db.query.duration', 'orders.placed']));
    expect(state.services).toContain('checkout');
    expect(state.received.rejected).toEqual({});
    expect(state.charts.counters.find((chart) => chart.name === 'orders.placed')).toMatchObject({ total: 2, services: ['checkout'] });
    expect(state.charts.gauges.find((chart) => chart.name === 'cart.size')!.series[0].latest).toBe(4);
    // Exact: min and max travel with the histogram; p50 of {12, 15, 480} is 15 within the 1% the buckets allow.
    const duration = state.charts.distributions.find((chart) => chart.name === 'db.query.duration')!.overall;
    expect(duration).toMatchObject({ count: 3, min: 12, max: 480, p99: 480 });
    expect(duration.p50).toBeCloseTo(15, -0.5);
    const trace = state.traces.find((candidate) => candidate.traceId === traceId)!;
    expect(trace.spans).toEqual([expect.objectContaining({ name: 'place order', op: 'task', origin: 'server', service: 'checkout', sdk: 'isometer', sampled: true })]);
    expect(state.series.find((series) => series.name === 'orders.placed')!.points![0].exemplars[0].traceId).toBe(traceId);
  });

  it('takes DogStatsD datagrams from the statsdExporter on --statsd, tags as attributes', async () => {
    const viewer = await started({ statsdPort: 0 });
    const client = init({ flushIntervalMs: 0, exporters: [statsdExporter({ host: '127.0.0.1', port: viewer.statsdPort!, globalTags: { service: 'worker' } })] });
    metrics.count('jobs.done', 5, { attributes: { queue: 'mail' } });
    for (const ms of [3, 9, 27, 81]) metrics.distribution('job.duration', ms, { unit: 'millisecond' });
    metrics.gauge('queue.depth', 12);
    expect(await client.flush()).toBe(true);

    await expect.poll(async () => (await viewer.state()).received.bySdk.statsd?.points ?? 0, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    const state = await viewer.state();
    const jobs = state.series.find((series) => series.name === 'jobs.done')!;
    expect(jobs).toMatchObject({ service: 'worker', sdk: 'statsd', type: 'counter', attributes: { queue: 'mail' }, total: { sum: 5 } });
    expect(state.charts.distributions.find((chart) => chart.name === 'job.duration')!.overall).toMatchObject({ count: 4, min: 3, max: 81 });
    expect(state.charts.gauges.find((chart) => chart.name === 'queue.depth')!.series[0].latest).toBe(12);
  });

  it('takes what a DogStatsD client (hot-shots) sends: counters, gauges, timings and histograms', async () => {
    const viewer = await started({ statsdPort: 0 });
    const client = new StatsD({ host: '127.0.0.1', port: viewer.statsdPort!, globalTags: { service: 'billing', env: 'dev' }, errorHandler: () => undefined });
    const sent = (send: (callback: () => void) => void) => new Promise<void>((resolve) => send(resolve));
    await sent((done) => client.increment('invoices.sent', 3, { plan: 'pro' }, done));
    await sent((done) => client.gauge('queue.size', 42, done));
    await sent((done) => client.timing('render.ms', 120, done));
    await sent((done) => client.histogram('payload.bytes', 2048, done));
    await new Promise<void>((resolve) => client.close(() => resolve()));

    await expect.poll(async () => (await viewer.state()).received.bySdk.statsd?.points ?? 0, { timeout: 15_000 }).toBe(4);
    const state = await viewer.state();
    expect(state.services).toEqual(['billing']);
    expect(state.series.find((series) => series.name === 'invoices.sent')).toMatchObject({ type: 'counter', attributes: { env: 'dev', plan: 'pro' }, total: { sum: 3 } });
    expect(state.charts.gauges.find((chart) => chart.name === 'queue.size')!.series[0].latest).toBe(42);
    expect(state.series.find((series) => series.name === 'render.ms')).toMatchObject({ type: 'distribution', unit: 'millisecond' });
    expect(state.charts.distributions.find((chart) => chart.name === 'payload.bytes')!.overall).toMatchObject({ count: 1, min: 2048, max: 2048 });
    expect(state.received.rejected).toEqual({});
  });

  it('counts garbage datagrams, keeps the good lines of a datagram and keeps listening', async () => {
    const viewer = await started({ statsdPort: 0 });
    const socket = createSocket('udp4');
    const send = (text: string) => new Promise<void>((resolve, reject) => socket.send(text, viewer.statsdPort!, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
    await send('\u0000\u00ff garbage');
    await send('hits:1|c\nhits:x|c\nno-type:1\nlatency:5:7|ms|@0.5');
    await expect.poll(async () => (await viewer.state()).received.rejected.invalid_statsd ?? 0, { timeout: 15_000 }).toBe(3);
    socket.close();
    const state = await viewer.state();
    expect(state.series.find((series) => series.name === 'hits')!.total.sum).toBe(1);
    // Sampled at 0.5: each timing stands for two.
    expect(state.charts.distributions.find((chart) => chart.name === 'latency')!.overall).toMatchObject({ count: 4, min: 5, max: 7 });
  });

  it("keeps the in-process exporter's sampling decisions on spans and exemplars", async () => {
    const viewer = await started();
    const client = init({ serviceName: 'shop', tracesSampleRate: 0, flushIntervalMs: 0, exporters: [viewerExporter(viewer.store)] });
    const traceId = startSpan({ name: 'dropped', op: 'task' }, (span) => {
      metrics.count('visits');
      return span.traceId;
    });
    expect(await client.flush()).toBe(true);
    const trace = (await viewer.state()).traces.find((candidate) => candidate.traceId === traceId)!;
    expect(trace.spans).toEqual([]);
    expect(trace.decision).toBe('not_sampled');
  });
});
