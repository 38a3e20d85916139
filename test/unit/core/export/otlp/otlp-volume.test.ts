import { afterEach, expect, it } from 'vitest';
import { init } from '../../../../../src/core/sdk/init';
import { close, getDroppedCounts } from '../../../../../src/core/sdk/lifecycle';
import { metrics } from '../../../../../src/core/metrics/metrics';
import { otlpExporter } from '../../../../../src/core/export/otlp/otlp-exporter';
import { attributeMap } from './otlp-proto';
import { metricDataPoints, startCollector, type Collector } from './otlp-collector';

let collector: Collector | undefined;
afterEach(async () => {
  await close(2000);
  await collector?.close();
});

it('flushes 10,000 distribution series over three decades with default options: 0 drops, every point decodes strictly', async () => {
  collector = await startCollector();
  const exporter = otlpExporter({ endpoint: collector.endpoint });
  expect([exporter.metricsProtocol, exporter.temporality]).toEqual(['http/protobuf', 'cumulative']);
  const client = init({ flushIntervalMs: 0, exporters: [exporter] });
  // Eight metrics of 1,250 series each (under the default maxSeriesPerMetric of 2,000 and the 7/8 mark
  // where new sets start folding), 12 values a series from 1 to 1,000;
  // two keys of 40 and 50 values, within each key's own budget of distinct values.
  const values = Array.from({ length: 12 }, (_, i) => Math.pow(1000, i / 11));
  for (let series = 0; series < 10_000; series++) {
    const name = `job.duration.${series % 8}`;
    for (const value of values) metrics.distribution(name, value * (1 + (series % 7) / 100), { unit: 'millisecond', attributes: { job: `j${series % 40}`, shard: `s${Math.floor(series / 40)}` } });
  }
  expect(await client.flush(60_000)).toBe(true);
  expect(getDroppedCounts()).toEqual({});
  const decoded = metricDataPoints(collector.arrivals);
  expect(decoded).toHaveLength(10_000);
  expect(new Set(decoded.map(({ metric, point }) => `${metric.name} ${attributeMap(point.attributes).job} ${attributeMap(point.attributes).shard}`)).size).toBe(10_000);
  for (const { metric, point } of decoded) {
    expect(metric.exponentialHistogram.aggregationTemporality).toBe(2);
    expect(point.count).toBe('12');
    const buckets = point.positive.bucketCounts.reduce((total: number, count: string) => total + Number(count), 0);
    expect(buckets + Number(point.zeroCount)).toBe(12);
    expect(point.max / point.min).toBeCloseTo(1000, 6);
  }
  // Requests were packed, not one per point: up to the size limit, or (when encoding has held the
  // event loop for its slice) at least 64 KiB a request.
  const bytes = collector.arrivals.reduce((total, arrival) => total + arrival.raw.length, 0);
  expect(collector.arrivals.length).toBeLessThanOrEqual(Math.ceil(bytes / 65_536) + 1);
  // Strict decoding of 10,000 points is slow on a loaded machine; this bounds nothing about isometer.
}, 600_000);
