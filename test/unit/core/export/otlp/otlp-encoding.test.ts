import { afterEach, describe, expect, it } from 'vitest';
import { init } from '../../../../../src/core/sdk/init';
import { close, getDroppedCounts } from '../../../../../src/core/sdk/lifecycle';
import { metrics } from '../../../../../src/core/metrics/metrics';
import { startSpan } from '../../../../../src/core/trace/start-span';
import { memoryExporter } from '../../../../../src/core/export/memory-exporter';
import { otlpExporter } from '../../../../../src/core/export/otlp/otlp-exporter';
import type { Exemplar, MetricPoint } from '../../../../../src/core/metrics/types';
import { fitHistogramData } from '../../../../../src/core/metrics/fit-histogram-data';
import { attributeMap } from './otlp-proto';
import { metricDataPoints, startCollector, type Collector } from './otlp-collector';

/** mulberry32: the same data on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const nanos = (epochMs: number): string => {
  const whole = Math.floor(epochMs);
  return (BigInt(whole) * 1_000_000n + BigInt(Math.round((epochMs - whole) * 1e6))).toString();
};

/** Decoded attributes with int64 values (strings from the decoder) back as numbers. */
const attributesOf = (keyValues: Array<{ key: string; value: Record<string, unknown> }>) => {
  const out = attributeMap(keyValues);
  for (const { key, value } of keyValues) if (value.value === 'intValue') out[key] = Number(out[key]);
  return out;
};

const exemplars = (list: Exemplar[]) => list.map((exemplar) => ({ timeUnixNano: nanos(exemplar.timestampMs), asDouble: exemplar.value, traceId: exemplar.traceId, spanId: exemplar.spanId }));

let collector: Collector | undefined;
afterEach(async () => {
  await close(2000);
  await collector?.close();
});

describe('OTLP encodings', () => {
  it.each(['http/protobuf', 'http/json'] as const)('%s: every decoded value equals what the client aggregated', async (protocol) => {
    collector = await startCollector();
    const memory = memoryExporter();
    const client = init({ flushIntervalMs: 0, tracesSampleRate: 1, exporters: [memory, otlpExporter({ endpoint: collector.endpoint, protocol, temporality: 'delta' })] });
    const random = seededRandom(protocol.length);
    startSpan({ name: 'checkout' }, () => {
      for (let i = 0; i < 400; i++) {
        const route = `/r${i % 7}`;
        metrics.count('http.requests', 1 + (i % 3), { attributes: { route, 'é.ünïcode': 'ü€😀', retries: i % 4 === 0 ? 2 ** 40 : -(i % 4), ratio: 0.25, ok: i % 2 === 0 } });
        metrics.gauge('queue.depth', Math.round(random() * 100) - 50, { attributes: { route } });
        // Three decades, some zeros and negatives, so every histogram field is used.
        const value = i % 50 === 0 ? 0 : i % 37 === 0 ? -random() * 10 : Math.exp(Math.log(1) + random() * Math.log(1000));
        metrics.distribution('db.duration', value, { unit: 'millisecond', attributes: { route } });
      }
    });
    expect(await client.flush()).toBe(true);
    const recorded = memory.points();
    const decoded = metricDataPoints(collector.arrivals);
    expect(decoded).toHaveLength(recorded.length);
    const key = (name: string, attributes: Record<string, unknown>) => `${name} ${JSON.stringify(attributes)}`;
    const byKey = new Map(decoded.map((entry) => [key(entry.metric.name, attributesOf(entry.point.attributes)), entry]));
    for (const point of recorded as MetricPoint[]) {
      const entry = byKey.get(key(point.name, { ...point.attributes }));
      expect(entry, `${point.name} ${JSON.stringify(point.attributes)}`).toBeDefined();
      const { metric, point: sent } = entry!;
      expect(attributesOf(sent.attributes)).toEqual(point.attributes);
      expect(sent.timeUnixNano).toBe(nanos(point.timeMs));
      expect(sent.exemplars).toMatchObject(exemplars(point.exemplars));
      expect(point.exemplars.length).toBeGreaterThan(0);
      if (point.type === 'counter') {
        expect(metric.sum).toMatchObject({ aggregationTemporality: 1, isMonotonic: true });
        expect(sent).toMatchObject({ asDouble: point.sum, startTimeUnixNano: nanos(point.startTimeMs) });
      } else if (point.type === 'gauge') {
        expect(sent.asDouble).toBe(point.last);
      } else {
        // Sent within the default 160 buckets: the recorded histogram, merged to a coarser scale exactly.
        const h = fitHistogramData(point.histogram, 160);
        expect(h.positive.bucketCounts.length + h.negative.bucketCounts.length).toBeLessThanOrEqual(160);
        expect(metric.unit).toBe('ms');
        expect(metric.exponentialHistogram.aggregationTemporality).toBe(1);
        expect(sent).toMatchObject({
          startTimeUnixNano: nanos(point.startTimeMs),
          count: String(h.count),
          sum: h.sum,
          min: h.min,
          max: h.max,
          scale: h.scale,
          zeroCount: String(h.zeroCount),
          positive: { offset: h.positive.offset, bucketCounts: Array.from(h.positive.bucketCounts, String) },
        });
        if (h.negative.bucketCounts.length > 0) expect(sent.negative).toEqual({ offset: h.negative.offset, bucketCounts: Array.from(h.negative.bucketCounts, String) });
        // Only the populated range: both ends hold a count.
        expect(Number(sent.positive.bucketCounts[0])).toBeGreaterThan(0);
        expect(Number(sent.positive.bucketCounts.at(-1))).toBeGreaterThan(0);
      }
    }
    expect(getDroppedCounts()).toEqual({});
  });
});
