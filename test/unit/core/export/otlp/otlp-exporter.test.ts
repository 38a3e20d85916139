import { describe, it, expect, afterEach, vi } from 'vitest';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { init } from '../../../../../src/core/sdk/init';
import { close, getDroppedCounts } from '../../../../../src/core/sdk/lifecycle';
import { metrics } from '../../../../../src/core/metrics/metrics';
import type { SpanData } from '../../../../../src/core/trace/span-data';
import { DropCounter } from '../../../../../src/core/internal/drop-counter';
import { createNodeHttpTransport } from '../../../../../src/node/http-transport';
import { otlpExporter } from '../../../../../src/core/export/otlp/otlp-exporter';
import { attributeMap, ExportMetricsServiceRequest, ExportTraceServiceRequest, protoRoundTrip } from './otlp-proto';

interface Arrival {
  path: string;
  body: string;
  headers: http.IncomingHttpHeaders;
}

const collectors: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await close(2000);
  for (const collector of collectors.splice(0)) await collector.close();
});

/** A loopback OTLP collector that records requests and answers each with `status(index)`. */
async function startCollector(status: (index: number) => number = () => 200) {
  const arrivals: Arrival[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const index = arrivals.length;
      arrivals.push({ path: request.url ?? '', body: Buffer.concat(chunks).toString('utf8'), headers: request.headers });
      response.writeHead(status(index), { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const collector = {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
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
  it("delivers a client's metrics and sampled spans to /v1/metrics and /v1/traces as protobuf-valid OTLP JSON", async () => {
    const collector = await startCollector();
    const client = init({
      serviceName: 'checkout',
      release: '2.0.0',
      environment: 'staging',
      flushIntervalMs: 0,
      exporters: [otlpExporter({ endpoint: collector.endpoint, headers: { 'x-api-key': 'secret' } })],
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
      expect(arrival.headers['content-type']).toBe('application/json');
      expect(arrival.headers['x-api-key']).toBe('secret');
    }
    const metricsBody = protoRoundTrip(ExportMetricsServiceRequest, collector.arrivals.find((arrival) => arrival.path === '/v1/metrics')!.body);
    expect(attributeMap(metricsBody.resourceMetrics[0].resource.attributes)).toMatchObject({ 'service.name': 'checkout', 'service.version': '2.0.0', 'deployment.environment.name': 'staging' });
    const sent = metricsBody.resourceMetrics[0].scopeMetrics[0].metrics as Array<Record<string, any>>;
    const byName = (name: string) => sent.find((metric) => metric.name === name)!;
    expect(byName('orders.placed').sum.dataPoints[0].asDouble).toBe(5);
    expect(byName('cart.size').gauge.dataPoints[0].asDouble).toBe(4);
    expect(byName('db.query.duration').exponentialHistogram.dataPoints[0]).toMatchObject({ count: '3', min: 12, max: 480, sum: 507 });

    const tracesBody = protoRoundTrip(ExportTraceServiceRequest, collector.arrivals.find((arrival) => arrival.path === '/v1/traces')!.body);
    expect(tracesBody.resourceSpans[0].scopeSpans[0].spans.map((sentSpan: any) => sentSpan.spanId)).toEqual(['00f067aa0ba902b7']);
    expect(getDroppedCounts()).toEqual({});
  });

  it('splits a large batch into requests within maxRequestBytes and loses no point', async () => {
    const collector = await startCollector();
    const client = init({ flushIntervalMs: 0, exporters: [otlpExporter({ endpoint: `${collector.endpoint}/`, maxRequestBytes: 4000, transport: createNodeHttpTransport() })] });
    for (let index = 0; index < 100; index++) metrics.count('jobs.done', 1, { attributes: { worker: `w-${index}` } });
    expect(await client.flush()).toBe(true);
    expect(collector.arrivals.length).toBeGreaterThan(1);
    let points = 0;
    for (const arrival of collector.arrivals) {
      expect(arrival.path).toBe('/v1/metrics');
      expect(Buffer.byteLength(arrival.body)).toBeLessThanOrEqual(4000);
      points += protoRoundTrip(ExportMetricsServiceRequest, arrival.body).resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints.length;
    }
    expect(points).toBe(100);
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
    expect(collector.arrivals[0].body).toBe(collector.arrivals[1].body);
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
