import { describe, it, expect, afterEach, vi } from 'vitest';
import { init } from '../../../../../src/core/sdk/init';
import { close, getDroppedCounts } from '../../../../../src/core/sdk/lifecycle';
import { metrics } from '../../../../../src/core/metrics/metrics';
import type { SpanData } from '../../../../../src/core/trace/span-data';
import { DropCounter } from '../../../../../src/core/internal/drop-counter';
import { createNodeHttpTransport } from '../../../../../src/node/http-transport';
import { otlpExporter } from '../../../../../src/core/export/otlp/otlp-exporter';
import { attributeMap } from './otlp-proto';
import { decodeArrival, metricDataPoints, startCollector as startLoopbackCollector, type Behaviour, type Collector } from './otlp-collector';

const collectors: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await close(2000);
  for (const collector of collectors.splice(0)) await collector.close();
});

async function startCollector(behaviour?: (index: number) => Behaviour): Promise<Collector> {
  const collector = await startLoopbackCollector(behaviour);
  collectors.push(collector);
  return collector;
}

const span = (spanId: string, sampled: boolean): SpanData => ({
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId,
  name: `work ${spanId}`,
  op: 'db.query',
  startTimeMs: Date.now() - 20,
  endTimeMs: Date.now(),
  status: 'ok',
  attributes: {},
  sampled,
});

describe('otlpExporter', () => {
  it.each([
    ['http/protobuf', 'application/x-protobuf'],
    ['http/json', 'application/json'],
  ] as const)("delivers a client's metrics and sampled spans to /v1/metrics and /v1/traces as strict %s", async (protocol, contentType) => {
    const collector = await startCollector();
    const client = init({
      serviceName: 'checkout',
      release: '2.0.0',
      environment: 'staging',
      flushIntervalMs: 0,
      exporters: [otlpExporter({ endpoint: collector.endpoint, protocol, temporality: 'delta', headers: { 'x-api-key': 'secret' } })],
    });
    metrics.count('orders.placed', 2, { attributes: { plan: 'pro' } });
    metrics.count('orders.placed', 3, { attributes: { plan: 'pro' } });
    metrics.gauge('cart.size', 4);
    for (const ms of [12, 15, 480]) metrics.distribution('db.query.duration', ms, { unit: 'millisecond' });
    client.recordSpan(span('00f067aa0ba902b7', true));
    client.recordSpan(span('b7ad6b7169203331', false));
    expect(await client.flush()).toBe(true);

    expect(collector.arrivals.map((arrival) => arrival.path).sort()).toEqual(['/v1/metrics', '/v1/traces']);
    for (const arrival of collector.arrivals) {
      expect(arrival.headers['content-type']).toBe(contentType);
      expect(arrival.headers['x-api-key']).toBe('secret');
    }
    const metricsBody = decodeArrival(collector.arrivals.find((arrival) => arrival.path === '/v1/metrics')!);
    expect(attributeMap(metricsBody.resourceMetrics[0].resource.attributes)).toMatchObject({ 'service.name': 'checkout', 'service.version': '2.0.0', 'deployment.environment.name': 'staging' });
    const sent = metricsBody.resourceMetrics[0].scopeMetrics[0].metrics as Array<Record<string, any>>;
    const byName = (name: string) => sent.find((metric) => metric.name === name)!;
    expect(byName('orders.placed').sum).toMatchObject({ aggregationTemporality: 1, isMonotonic: true });
    expect(byName('orders.placed').sum.dataPoints[0].asDouble).toBe(5);
    expect(byName('cart.size').gauge.dataPoints[0].asDouble).toBe(4);
    expect(byName('db.query.duration').unit).toBe('ms');
    expect(byName('db.query.duration').exponentialHistogram.dataPoints[0]).toMatchObject({ count: '3', min: 12, max: 480, sum: 507 });

    const tracesBody = decodeArrival(collector.arrivals.find((arrival) => arrival.path === '/v1/traces')!);
    expect(tracesBody.resourceSpans[0].scopeSpans[0].spans.map((sentSpan: any) => sentSpan.spanId)).toEqual(['00f067aa0ba902b7']);
    expect(getDroppedCounts()).toEqual({});
  });

  it.each(['http/protobuf', 'http/json'] as const)('packs a large batch (%s) into requests within maxRequestBytes and loses no point', async (protocol) => {
    const collector = await startCollector();
    const client = init({ flushIntervalMs: 0, exporters: [otlpExporter({ endpoint: `${collector.endpoint}/`, protocol, maxRequestBytes: 4000, transport: createNodeHttpTransport() })] });
    for (let index = 0; index < 100; index++) metrics.count('jobs.done', 1, { attributes: { worker: `w-${index}` } });
    expect(await client.flush()).toBe(true);
    expect(collector.arrivals.length).toBeGreaterThan(1);
    for (const arrival of collector.arrivals) {
      expect(arrival.path).toBe('/v1/metrics');
      expect(arrival.raw.length).toBeLessThanOrEqual(4000);
    }
    // Packed by measured size: every request but the last one packed is more than 80% full (they
    // go out in parallel, so the smallest is the last).
    const sizes = collector.arrivals.map((arrival) => arrival.raw.length).sort((a, b) => b - a);
    for (const size of sizes.slice(0, -1)) expect(size).toBeGreaterThan(3200);
    const workers = metricDataPoints(collector.arrivals).map(({ point }) => attributeMap(point.attributes).worker);
    expect(new Set(workers).size).toBe(100);
    expect(workers).toHaveLength(100);
  });

  it('packs each batch to the size its transport asks for at that moment, unless maxRequestBytes is given', async () => {
    const collector = await startCollector();
    const node = createNodeHttpTransport();
    let asked: number | undefined = 4000;
    const transport = { send: node.send, close: node.close, requestBytes: () => asked };
    const client = init({ flushIntervalMs: 0, exporters: [otlpExporter({ endpoint: `${collector.endpoint}/`, protocol: 'http/json', temporality: 'delta', transport })] });
    const record = (prefix: string): void => {
      for (let index = 0; index < 100; index++) metrics.count('jobs.done', 1, { attributes: { worker: `${prefix}-${index}` } });
    };
    record('small');
    expect(await client.flush()).toBe(true);
    const small = collector.arrivals.length;
    expect(small).toBeGreaterThan(1);
    for (const arrival of collector.arrivals) expect(arrival.raw.length).toBeLessThanOrEqual(4000);
    // The transport now asks for more (a page that became visible): the next batch goes as one request.
    asked = 1_000_000;
    record('large');
    expect(await client.flush()).toBe(true);
    expect(collector.arrivals.length).toBe(small + 1);
    // No answer (a transport without a wish): the runtime's default, 1 MiB outside a page.
    asked = undefined;
    record('default');
    expect(await client.flush()).toBe(true);
    expect(collector.arrivals.length).toBe(small + 2);
    const workers = metricDataPoints(collector.arrivals).map(({ point }) => attributeMap(point.attributes).worker);
    expect(new Set(workers).size).toBe(300);
    expect(workers).toHaveLength(300);

    const fixed = await startCollector();
    await close(2000);
    asked = 1_000_000;
    const fixedClient = init({ flushIntervalMs: 0, exporters: [otlpExporter({ endpoint: `${fixed.endpoint}/`, protocol: 'http/json', temporality: 'delta', maxRequestBytes: 4000, transport })] });
    record('fixed');
    expect(await fixedClient.flush()).toBe(true);
    expect(fixed.arrivals.length).toBeGreaterThan(1);
    for (const arrival of fixed.arrivals) expect(arrival.raw.length).toBeLessThanOrEqual(4000);
  });

  it("counts a refused batch's points as export_error in the client's dropped counts", async () => {
    const collector = await startCollector(() => 400);
    const client = init({ flushIntervalMs: 0, exporters: [otlpExporter({ endpoint: collector.endpoint })] });
    for (const plan of ['free', 'pro', 'team']) metrics.count('signups', 1, { attributes: { plan } });
    await client.flush();
    expect(collector.arrivals).toHaveLength(1);
    expect(getDroppedCounts()).toEqual({ export_error: 3 });
  });

  it('close() waits out a 503 and delivers the batch before it resolves', async () => {
    const collector = await startCollector((index) => (index === 0 ? 503 : 200));
    init({ flushIntervalMs: 0, exporters: [otlpExporter({ endpoint: collector.endpoint, initialBackoffMs: 1, maxBackoffMs: 5 })] });
    metrics.count('shutdown.safe');
    expect(await close(5000)).toBe(true);
    expect(collector.arrivals).toHaveLength(2);
    expect(collector.arrivals[0].raw.equals(collector.arrivals[1].raw)).toBe(true);
    expect(getDroppedCounts()).toEqual({});
  });

  it('takes its URLs from the environment it is given, and an explicit endpoint over it', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/api/traces' };
    const fromEnv = otlpExporter({ env });
    expect([fromEnv.metricsUrl, fromEnv.tracesUrl]).toEqual(['http://collector:4318/v1/metrics', 'http://tempo:4318/api/traces']);
    const explicit = otlpExporter({ env, endpoint: 'https://otlp.example.com/base/' });
    expect([explicit.metricsUrl, explicit.tracesUrl]).toEqual(['https://otlp.example.com/base/v1/metrics', 'https://otlp.example.com/base/v1/traces']);
    expect(otlpExporter({ env: {} }).metricsUrl).toBe('http://localhost:4318/v1/metrics');
  });

  it('resolves a relative endpoint against the page it runs in', () => {
    vi.stubGlobal('location', { href: 'https://shop.example.com/cart?x=1' });
    try {
      const exporter = otlpExporter({ endpoint: '/collect', env: {} });
      expect([exporter.metricsUrl, exporter.tracesUrl]).toEqual(['https://shop.example.com/collect/v1/metrics', 'https://shop.example.com/collect/v1/traces']);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('refuses a batch for an endpoint that is not an http(s) URL, without throwing', async () => {
    const drops = new DropCounter();
    const exporter = otlpExporter({ endpoint: 'not a url', drops, env: {} });
    const outcome = await exporter.exportMetrics!({ resource: { attributes: {}, sdk: { name: 'isometer', version: '0.1.0' } }, startTimeMs: 0, endTimeMs: 1, points: [] });
    expect(outcome).toMatchObject({ ok: false, retryable: false });
    expect(exporter.pending()).toEqual({ requests: 0, bytes: 0 });
  });
});
