import { describe, it, expect } from 'vitest';
import type { Resource } from '../../../../../src/core/export/exporter';
import { ExponentialHistogram } from '../../../../../src/core/metrics/exponential-histogram';
import type { CounterPoint, DistributionPoint, GaugePoint, MetricPoint } from '../../../../../src/core/metrics/types';
import { encodeOtlpMetrics } from '../../../../../src/core/export/otlp/encode-otlp-metrics';
import { toOtlpResource } from '../../../../../src/core/export/otlp/to-otlp-resource';
import { attributeMap, expectSentFieldsSurvive, ExportMetricsServiceRequest, protoRoundTrip } from './otlp-proto';

const START = 1_700_000_000_000;
const END = START + 10_000;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const resource: Resource = { serviceName: 'checkout', release: '1.4.2', environment: 'production', attributes: { region: 'eu-west-1' }, sdk: { name: 'isometer', version: '0.1.0' } };
const scope = { name: 'isometer', version: '0.1.0' };

function counter(attributes: CounterPoint['attributes'], sum: number): CounterPoint {
  return { type: 'counter', name: 'checkout.click', unit: '', attributes, startTimeMs: START, timeMs: END, exemplars: [], sum, count: sum };
}

function latency(values: number[]): DistributionPoint {
  const histogram = new ExponentialHistogram();
  for (const value of values) histogram.record(value);
  const data = histogram.toData();
  return {
    type: 'distribution',
    name: 'http.server.duration',
    unit: 'millisecond',
    attributes: { route: '/cart', status: 200, ok: true, share: 0.25 },
    startTimeMs: START,
    timeMs: END,
    exemplars: [{ value: 480, timestampMs: START + 1234.5, traceId: TRACE_ID, spanId: SPAN_ID, sampled: true }],
    count: data.count,
    sum: data.sum,
    min: data.min,
    max: data.max,
    histogram: data,
  };
}

const gauge: GaugePoint = { type: 'gauge', name: 'queue.depth', unit: 'none', attributes: {}, startTimeMs: START, timeMs: END, exemplars: [], last: 7, min: 2, max: 9, sum: 18, count: 3 };

function sendAndDecode(points: MetricPoint[]) {
  const wire = JSON.stringify(encodeOtlpMetrics(points, toOtlpResource(resource), scope));
  const decoded = protoRoundTrip(ExportMetricsServiceRequest, wire);
  expectSentFieldsSurvive(decoded, JSON.parse(wire));
  const metrics = decoded.resourceMetrics[0].scopeMetrics[0].metrics as Array<Record<string, any>>;
  return { wire, decoded, metric: (name: string) => metrics.find((metric) => metric.name === name)!, metrics };
}

describe('encodeOtlpMetrics', () => {
  it('produces JSON the OTLP ExportMetricsServiceRequest definition accepts, every sent field surviving a binary round trip', () => {
    const { metrics } = sendAndDecode([counter({ route: '/a' }, 3), counter({ route: '/b' }, 5), gauge, latency([0, 0.5, 12, 15, 480, -3])]);
    expect(metrics.map((metric) => metric.data)).toEqual(['sum', 'gauge', 'exponentialHistogram']);
  });

  it('puts the resource attributes and the isometer scope on the batch', () => {
    const { decoded } = sendAndDecode([counter({}, 1)]);
    const resourceMetrics = decoded.resourceMetrics[0];
    expect(attributeMap(resourceMetrics.resource.attributes)).toEqual({
      region: 'eu-west-1',
      'service.name': 'checkout',
      'service.version': '1.4.2',
      'deployment.environment.name': 'production',
      'deployment.environment': 'production',
      'telemetry.sdk.name': 'isometer',
      'telemetry.sdk.version': '0.1.0',
      'telemetry.sdk.language': 'nodejs',
    });
    expect(resourceMetrics.scopeMetrics[0].scope).toMatchObject({ name: 'isometer', version: '0.1.0' });
  });

  it('sends counters as monotonic delta sums, one Metric holding each attribute set', () => {
    const sum = sendAndDecode([counter({ route: '/a' }, 3), counter({ route: '/b' }, 5)]).metric('checkout.click').sum;
    expect(sum.aggregationTemporality).toBe(1);
    expect(sum.isMonotonic).toBe(true);
    expect(sum.dataPoints.map((point: any) => [attributeMap(point.attributes).route, point.asDouble, point.value])).toEqual([
      ['/a', 3, 'asDouble'],
      ['/b', 5, 'asDouble'],
    ]);
    expect(sum.dataPoints[0].startTimeUnixNano).toBe(`${START}000000`);
    expect(sum.dataPoints[0].timeUnixNano).toBe(`${END}000000`);
  });

  it('sends a gauge as its last value, without a start time, and maps the unit "none" to no unit', () => {
    const metric = sendAndDecode([gauge]).metric('queue.depth');
    expect(metric.unit).toBe('');
    expect(metric.gauge.dataPoints).toHaveLength(1);
    expect(metric.gauge.dataPoints[0].asDouble).toBe(7);
    expect(metric.gauge.dataPoints[0].startTimeUnixNano).toBe('0');
  });

  it('sends a distribution as a delta exponential histogram with the exact buckets, counts and exemplar ids', () => {
    const point = latency([0, 0, 0.5, 12, 15, 15, 480, -3, -40]);
    const data = point.histogram;
    const metric = sendAndDecode([point]).metric('http.server.duration');
    expect(metric.unit).toBe('ms');
    const histogram = metric.exponentialHistogram;
    expect(histogram.aggregationTemporality).toBe(1);
    const decoded = histogram.dataPoints[0];
    expect(decoded.scale).toBe(data.scale);
    expect(decoded.count).toBe('9');
    expect(decoded.zeroCount).toBe('2');
    expect(decoded.positive.offset).toBe(data.positive.offset);
    expect(decoded.positive.bucketCounts).toEqual(Array.from(data.positive.bucketCounts, String));
    expect(decoded.negative.offset).toBe(data.negative.offset);
    expect(decoded.negative.bucketCounts).toEqual(Array.from(data.negative.bucketCounts, String));
    const bucketTotal = [...decoded.positive.bucketCounts, ...decoded.negative.bucketCounts].reduce((total: number, count: string) => total + Number(count), 0);
    expect(bucketTotal + Number(decoded.zeroCount)).toBe(Number(decoded.count));
    expect(decoded.sum).toBeCloseTo(0.5 + 12 + 15 + 15 + 480 - 3 - 40, 9);
    expect([decoded.min, decoded.max]).toEqual([-40, 480]);
    expect(attributeMap(decoded.attributes)).toEqual({ route: '/cart', status: '200', ok: true, share: 0.25 });
    expect(decoded.exemplars).toHaveLength(1);
    expect(decoded.exemplars[0]).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, asDouble: 480, timeUnixNano: `${START + 1234}500000` });
  });

  it('leaves exemplar ids out when they are not full-length hex, rather than sending broken bytes', () => {
    const point = latency([1]);
    point.exemplars = [{ value: 1, timestampMs: START, traceId: 'not-hex', spanId: '', sampled: undefined }];
    const wire = JSON.parse(JSON.stringify(encodeOtlpMetrics([point], toOtlpResource(resource), scope)));
    const exemplar = wire.resourceMetrics[0].scopeMetrics[0].metrics[0].exponentialHistogram.dataPoints[0].exemplars[0];
    expect(exemplar).toEqual({ timeUnixNano: `${START}000000`, asDouble: 1 });
  });
});
