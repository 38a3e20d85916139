import type { Exemplar, MetricPoint } from '../../metrics/types';
import { AGGREGATION_TEMPORALITY_DELTA, type OtlpExemplar, type OtlpMetric, type OtlpMetricsRequest, type OtlpResource, type OtlpScope } from './otlp-json';
import { toOtlpAttributes } from './to-otlp-attributes';
import { toOtlpDouble } from './to-otlp-double';
import { toUcumUnit } from './to-ucum-unit';
import { toUnixNano } from './to-unix-nano';

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/**
 * One interval's points as an OTLP `ExportMetricsServiceRequest` (JSON mapping). Points of the
 * same name, type and unit become the data points of one `Metric`. Every point covers one flush
 * interval, so sums and histograms carry DELTA temporality:
 * - counter → `sum` (monotonic, `asDouble` = the interval's total);
 * - gauge → `gauge` (`asDouble` = the last value; OTLP gauges hold no min/max);
 * - distribution → `exponentialHistogram` with the histogram's scale, zero count, buckets,
 *   count, sum, min and max.
 * Exemplars carry the trace and span they were recorded in.
 *
 * @example
 * const body = JSON.stringify(encodeOtlpMetrics(batch.points, toOtlpResource(batch.resource), { name: 'isometer', version: '0.1.0' }));
 */
export function encodeOtlpMetrics(points: MetricPoint[], resource: OtlpResource, scope: OtlpScope): OtlpMetricsRequest {
  const metrics = new Map<string, OtlpMetric>();
  for (const point of points) {
    const key = `${point.type}\u0000${point.name}\u0000${point.unit}`;
    let metric = metrics.get(key);
    if (metric === undefined) {
      metric = newMetric(point);
      metrics.set(key, metric);
    }
    addDataPoint(metric, point);
  }
  return { resourceMetrics: [{ resource, scopeMetrics: [{ scope, metrics: [...metrics.values()] }] }] };
}

function newMetric(point: MetricPoint): OtlpMetric {
  const metric: OtlpMetric = { name: point.name };
  const unit = toUcumUnit(point.unit);
  if (unit) metric.unit = unit;
  if (point.type === 'counter') metric.sum = { dataPoints: [], aggregationTemporality: AGGREGATION_TEMPORALITY_DELTA, isMonotonic: true };
  else if (point.type === 'gauge') metric.gauge = { dataPoints: [] };
  else metric.exponentialHistogram = { dataPoints: [], aggregationTemporality: AGGREGATION_TEMPORALITY_DELTA };
  return metric;
}

function addDataPoint(metric: OtlpMetric, point: MetricPoint): void {
  const attributes = toOtlpAttributes(point.attributes);
  const exemplars = point.exemplars.length > 0 ? point.exemplars.map(toOtlpExemplar) : undefined;
  const startTimeUnixNano = toUnixNano(point.startTimeMs);
  const timeUnixNano = toUnixNano(point.timeMs);
  switch (point.type) {
    case 'counter':
      metric.sum!.dataPoints.push({ attributes, startTimeUnixNano, timeUnixNano, asDouble: toOtlpDouble(point.sum), exemplars });
      return;
    case 'gauge':
      // OTLP: a gauge's start time is optional and carries no meaning, so it is left out.
      metric.gauge!.dataPoints.push({ attributes, timeUnixNano, asDouble: toOtlpDouble(point.last), exemplars });
      return;
    case 'distribution': {
      // The bucket counts are the histogram's; count and sum come from it too so that
      // count = zeroCount + Σ buckets holds, as the data model requires.
      const histogram = point.histogram;
      metric.exponentialHistogram!.dataPoints.push({
        attributes,
        startTimeUnixNano,
        timeUnixNano,
        count: String(histogram.count),
        sum: Number.isFinite(histogram.sum) ? histogram.sum : undefined,
        scale: histogram.scale,
        zeroCount: String(histogram.zeroCount),
        positive: { offset: histogram.positive.offset, bucketCounts: Array.from(histogram.positive.bucketCounts, String) },
        negative: histogram.negative.bucketCounts.length > 0 ? { offset: histogram.negative.offset, bucketCounts: Array.from(histogram.negative.bucketCounts, String) } : undefined,
        min: Number.isFinite(histogram.min) ? histogram.min : undefined,
        max: Number.isFinite(histogram.max) ? histogram.max : undefined,
        exemplars,
      });
    }
  }
}

function toOtlpExemplar(exemplar: Exemplar): OtlpExemplar {
  const otlp: OtlpExemplar = { timeUnixNano: toUnixNano(exemplar.timestampMs), asDouble: toOtlpDouble(exemplar.value) };
  // Ids must be the full 16 and 8 bytes, or absent.
  if (TRACE_ID.test(exemplar.traceId) && SPAN_ID.test(exemplar.spanId)) {
    otlp.traceId = exemplar.traceId;
    otlp.spanId = exemplar.spanId;
  }
  return otlp;
}
