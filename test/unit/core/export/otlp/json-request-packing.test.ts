import { describe, expect, it } from 'vitest';
import type { CounterPoint, GaugePoint, MetricPoint } from '../../../../../src/core/metrics/types';
import { jsonMetricsBuilder } from '../../../../../src/core/export/otlp/json-body-builders';
import { AGGREGATION_TEMPORALITY_DELTA } from '../../../../../src/core/export/otlp/otlp-json';
import { createRequestPacker } from '../../../../../src/core/export/otlp/pack-otlp-requests';
import { toOtlpResource } from '../../../../../src/core/export/otlp/to-otlp-resource';
import { attributeMap, ExportMetricsServiceRequest, protoRoundTrip } from './otlp-proto';

const START = 1_764_765_432_123.25;
const END = START + 10_000;
const resource = toOtlpResource({ serviceName: 'café — 店', attributes: { region: 'eu-west-1' }, sdk: { name: 'isometer', version: '0.1.0' } });
const scope = { name: 'isometer', version: '0.1.0' };
const sameMetric = (a: MetricPoint, b: MetricPoint): boolean => a.type === b.type && a.name === b.name && a.unit === b.unit;

function counter(name: string, route: string, sum: number): CounterPoint {
  return { type: 'counter', name, unit: '', attributes: { route, method: 'GET' }, startTimeMs: START, timeMs: END, exemplars: [], sum, count: sum };
}

function gauge(name: string, route: string, last: number): GaugePoint {
  return { type: 'gauge', name, unit: 'byte', attributes: { route }, startTimeMs: START, timeMs: END, exemplars: [], last, min: last, max: last, sum: last, count: 1 };
}

/** Points of three metrics (names and values in and out of ASCII: é, CJK, an emoji's surrogate pair). */
function points(): MetricPoint[] {
  const all: MetricPoint[] = [];
  for (let i = 0; i < 300; i++) all.push(counter('checkout.click', `/cart/${i}`, i + 1));
  for (let i = 0; i < 300; i++) all.push(counter('página.vista', `/página/${i}/店舗`, 1));
  for (let i = 0; i < 300; i++) all.push(gauge('queue.size', `/q/${i}/🚀`, i));
  return all;
}

function pack(maxBytes: number): Array<{ body: string; items: number; bytes: number }> {
  const packer = createRequestPacker(points(), sameMetric, jsonMetricsBuilder(resource, scope, AGGREGATION_TEMPORALITY_DELTA, 160), maxBytes);
  const chunks: Array<{ body: string; items: number; bytes: number }> = [];
  for (let chunk = packer.next(); chunk; chunk = packer.next()) chunks.push(chunk as { body: string; items: number; bytes: number });
  return chunks;
}

describe('OTLP JSON requests packed by measured size', () => {
  it("says each body's exact UTF-8 size, so neither delivery nor the page transport measures it again", () => {
    for (const maxBytes of [2_000, 7_919, 60_000, 1 << 20]) {
      const chunks = pack(maxBytes);
      expect(chunks.length).toBeGreaterThan(0);
      for (const chunk of chunks) expect(chunk.bytes).toBe(Buffer.byteLength(chunk.body, 'utf8'));
    }
  });

  it('keeps every request within the limit, and every point decodes strictly, once, with its attributes', () => {
    const chunks = pack(7_919);
    expect(chunks.length).toBeGreaterThan(10);
    const seen: string[] = [];
    for (const chunk of chunks) {
      expect(chunk.bytes).toBeLessThanOrEqual(7_919);
      const decoded = protoRoundTrip(ExportMetricsServiceRequest, chunk.body);
      let points = 0;
      for (const metric of decoded.resourceMetrics[0].scopeMetrics[0].metrics) {
        const dataPoints = (metric.sum ?? metric.gauge).dataPoints;
        points += dataPoints.length;
        for (const point of dataPoints) {
          expect(point.timeUnixNano).toBe('1764765442123250000');
          seen.push(`${metric.name} ${attributeMap(point.attributes).route}`);
        }
      }
      expect(points).toBe(chunk.items);
    }
    expect(seen).toHaveLength(900);
    expect(new Set(seen).size).toBe(900);
    expect(seen).toContain('página.vista /página/7/店舗');
    expect(seen).toContain('queue.size /q/299/🚀');
  });
});
