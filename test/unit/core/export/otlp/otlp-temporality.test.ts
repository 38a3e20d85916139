import { afterEach, describe, expect, it, vi } from 'vitest';
import { init } from '../../../../../src/core/sdk/init';
import { close, getDroppedCounts } from '../../../../../src/core/sdk/lifecycle';
import { metrics } from '../../../../../src/core/metrics/metrics';
import { debugLogger } from '../../../../../src/core/internal/debug-logger';
import { otlpExporter } from '../../../../../src/core/export/otlp/otlp-exporter';
import { attributeMap } from './otlp-proto';
import { metricDataPoints, startCollector, type Collector } from './otlp-collector';

let collector: Collector | undefined;
afterEach(async () => {
  await close(2000);
  await collector?.close();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  debugLogger.resetWarnings();
});

describe('otlpExporter protocol and temporality', () => {
  it('defaults outside a page to the specification: http/protobuf and cumulative', () => {
    const exporter = otlpExporter({ env: {} });
    expect([exporter.metricsProtocol, exporter.tracesProtocol, exporter.temporality]).toEqual(['http/protobuf', 'http/protobuf', 'cumulative']);
  });

  it('defaults in a page to http/json and delta', () => {
    vi.stubGlobal('document', {});
    const exporter = otlpExporter({ env: {} });
    expect([exporter.metricsProtocol, exporter.tracesProtocol, exporter.temporality]).toEqual(['http/json', 'http/json', 'delta']);
  });

  it('reads the per-signal protocol over the general one, and the option over both', () => {
    const env = { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'LowMemory' };
    const fromEnv = otlpExporter({ env });
    expect([fromEnv.metricsProtocol, fromEnv.tracesProtocol, fromEnv.temporality]).toEqual(['http/json', 'http/protobuf', 'lowmemory']);
    const explicit = otlpExporter({ env, protocol: 'http/json', temporality: 'cumulative' });
    expect([explicit.metricsProtocol, explicit.tracesProtocol, explicit.temporality]).toEqual(['http/json', 'http/json', 'cumulative']);
  });

  it('warns once naming the variable for a value it cannot use, then takes the next setting', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const exporter = otlpExporter({ env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'sometimes' }, protocol: 'xml' as never });
    expect([exporter.metricsProtocol, exporter.temporality]).toEqual(['http/protobuf', 'cumulative']);
    const messages = warn.mock.calls.map((call) => call.join(' '));
    expect(messages.some((message) => message.includes('OTEL_EXPORTER_OTLP_PROTOCOL') && message.includes('"grpc"'))).toBe(true);
    expect(messages.some((message) => message.includes('protocol') && message.includes('"xml"'))).toBe(true);
    expect(messages.some((message) => message.includes('OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE'))).toBe(true);
  });

  it.each(['http/protobuf', 'http/json'] as const)('cumulative (%s): running totals with a fixed start time, every live series each flush', async (protocol) => {
    collector = await startCollector();
    const client = init({ flushIntervalMs: 0, exporters: [otlpExporter({ endpoint: collector.endpoint, protocol, temporality: 'cumulative' })] });
    metrics.count('orders', 2, { attributes: { plan: 'pro' } });
    metrics.count('orders', 1, { attributes: { plan: 'free' } });
    metrics.distribution('latency', 10);
    metrics.gauge('depth', 7);
    await client.flush();
    const first = metricDataPoints(collector.arrivals);
    const seen = collector.arrivals.length;
    metrics.count('orders', 5, { attributes: { plan: 'pro' } });
    metrics.distribution('latency', 1000);
    await client.flush();
    const second = metricDataPoints(collector.arrivals.slice(seen));
    const find = (points: typeof first, name: string, plan?: string) => points.find(({ metric, point }) => metric.name === name && attributeMap(point.attributes).plan === plan)!;
    expect(find(second, 'orders', 'pro').metric.sum).toMatchObject({ aggregationTemporality: 2, isMonotonic: true });
    expect(find(second, 'orders', 'pro').point.asDouble).toBe(7);
    expect(find(second, 'orders', 'free').point.asDouble).toBe(1); // unchanged, still reported
    expect(find(second, 'orders', 'pro').point.startTimeUnixNano).toBe(find(first, 'orders', 'pro').point.startTimeUnixNano);
    expect(BigInt(find(second, 'orders', 'pro').point.timeUnixNano)).toBeGreaterThan(BigInt(find(first, 'orders', 'pro').point.timeUnixNano));
    expect(find(second, 'latency').metric.exponentialHistogram.aggregationTemporality).toBe(2);
    expect(find(second, 'latency').point).toMatchObject({ count: '2', sum: 1010, min: 10, max: 1000 });
    expect(find(second, 'depth').point.asDouble).toBe(7);
    expect(getDroppedCounts()).toEqual({});
  });

  it.each(['delta', 'lowmemory'] as const)('%s: each flush sends only its own interval, counters and histograms as DELTA', async (temporality) => {
    collector = await startCollector();
    const client = init({ flushIntervalMs: 0, exporters: [otlpExporter({ endpoint: collector.endpoint, temporality })] });
    metrics.count('orders', 2);
    metrics.distribution('latency', 10);
    await client.flush();
    const seen = collector.arrivals.length;
    metrics.count('orders', 5);
    await client.flush();
    const second = metricDataPoints(collector.arrivals.slice(seen));
    expect(second).toHaveLength(1);
    expect(second[0].metric.sum.aggregationTemporality).toBe(1);
    expect(second[0].point.asDouble).toBe(5);
  });

  it('cumulative: past maxCumulativeSeries new series fold into one overflow series, totals exact, folds counted', async () => {
    collector = await startCollector();
    const client = init({ flushIntervalMs: 0, exporters: [otlpExporter({ endpoint: collector.endpoint, temporality: 'cumulative', maxCumulativeSeries: 3 })] });
    for (let user = 0; user < 5; user++) metrics.count('logins', 1, { attributes: { user: `u${user}` } });
    await client.flush();
    const points = metricDataPoints(collector.arrivals);
    expect(points).toHaveLength(4);
    expect(points.reduce((total, { point }) => total + point.asDouble, 0)).toBe(5);
    expect(attributeMap(points[3].point.attributes)).toEqual({ 'isometer.overflow': true });
    expect(getDroppedCounts()).toEqual({ cardinality_overflow: 2 });
  });
});
