import { DEFAULT_MAX_BUCKETS } from '../../metrics/exponential-histogram';
import { fitHistogramData } from '../../metrics/fit-histogram-data';
import type { Exemplar, MetricPoint } from '../../metrics/types';
import {
  AGGREGATION_TEMPORALITY_DELTA,
  type OtlpExemplar,
  type OtlpExponentialHistogramDataPoint,
  type OtlpMetric,
  type OtlpMetricsRequest,
  type OtlpNumberDataPoint,
  type OtlpResource,
  type OtlpScope,
  type OtlpBuckets,
} from './otlp-json';
import { toOtlpAttributes } from './to-otlp-attributes';
import { toOtlpDouble } from './to-otlp-double';
import { toUcumUnit } from './to-ucum-unit';
import { toUnixNano } from './to-unix-nano';

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/**
 * Points as an OTLP `ExportMetricsServiceRequest` (JSON mapping). Points of the same name, type
 * and unit become the data points of one `Metric`:
 * - counter → `sum` (monotonic, `asDouble` = the total over the point's time range);
 * - gauge → `gauge` (`asDouble` = the last value; OTLP gauges hold no min/max);
 * - distribution → `exponentialHistogram` with the histogram's scale, zero count, only the
 *   populated bucket range (offset + counts), count, sum, min and max.
 * Sums and histograms carry `temporality`: DELTA (1, the default: each point covers one flush
 * interval) or CUMULATIVE (2). Exemplars carry the trace and span they were recorded in.
 *
 * @example
 * const body = JSON.stringify(encodeOtlpMetrics(batch.points, toOtlpResource(batch.resource), { name: 'isometer', version: '0.1.0' }));
 */
export function encodeOtlpMetrics(
  points: MetricPoint[],
  resource: OtlpResource,
  scope: OtlpScope,
  temporality: number = AGGREGATION_TEMPORALITY_DELTA,
  maxBuckets: number = DEFAULT_MAX_BUCKETS,
): OtlpMetricsRequest {
  const metrics = new Map<string, OtlpMetric>();
  for (const point of points) {
    const key = metricKey(point);
    let metric = metrics.get(key);
    if (metric === undefined) {
      metric = toOtlpMetric(point, temporality);
      metrics.set(key, metric);
    }
    const dataPoint = toOtlpDataPoint(point, maxBuckets);
    if (metric.sum) metric.sum.dataPoints.push(dataPoint as OtlpNumberDataPoint);
    else if (metric.gauge) metric.gauge.dataPoints.push(dataPoint as OtlpNumberDataPoint);
    else metric.exponentialHistogram!.dataPoints.push(dataPoint as OtlpExponentialHistogramDataPoint);
  }
  return { resourceMetrics: [{ resource, scopeMetrics: [{ scope, metrics: [...metrics.values()] }] }] };
}

/** What makes points one OTLP `Metric`: type, name and unit. */
export function metricKey(point: MetricPoint): string {
  return `${point.type}\u0000${point.name}\u0000${point.unit}`;
}

/** The `Metric` a point belongs to, with no data points yet. */
export function toOtlpMetric(point: MetricPoint, temporality: number): OtlpMetric {
  const metric: OtlpMetric = { name: point.name };
  const unit = toUcumUnit(point.unit);
  if (unit) metric.unit = unit;
  if (point.type === 'counter') metric.sum = { dataPoints: [], aggregationTemporality: temporality, isMonotonic: true };
  else if (point.type === 'gauge') metric.gauge = { dataPoints: [] };
  else metric.exponentialHistogram = { dataPoints: [], aggregationTemporality: temporality };
  return metric;
}

/** One point as an OTLP data point (JSON mapping); a histogram with at most `maxBuckets` buckets. */
export function toOtlpDataPoint(point: MetricPoint, maxBuckets: number = DEFAULT_MAX_BUCKETS): OtlpNumberDataPoint | OtlpExponentialHistogramDataPoint {
  const attributes = toOtlpAttributes(point.attributes);
  const exemplars = point.exemplars.length > 0 ? point.exemplars.map(toOtlpExemplar) : undefined;
  const timeUnixNano = toUnixNano(point.timeMs);
  if (point.type === 'counter') return { attributes, startTimeUnixNano: toUnixNano(point.startTimeMs), timeUnixNano, asDouble: toOtlpDouble(point.sum), exemplars };
  // OTLP: a gauge's start time is optional and carries no meaning, so it is left out.
  if (point.type === 'gauge') return { attributes, timeUnixNano, asDouble: toOtlpDouble(point.last), exemplars };
  // The bucket counts are the histogram's; count and sum come from it too so that
  // count = zeroCount + Σ buckets holds, as the data model requires.
  const histogram = fitHistogramData(point.histogram, maxBuckets);
  return {
    attributes,
    startTimeUnixNano: toUnixNano(point.startTimeMs),
    timeUnixNano,
    count: histogram.count,
    sum: Number.isFinite(histogram.sum) ? histogram.sum : undefined,
    scale: histogram.scale,
    zeroCount: histogram.zeroCount > 0 ? histogram.zeroCount : undefined,
    positive: toOtlpBuckets(histogram.positive),
    negative: histogram.negative.bucketCounts.length > 0 ? toOtlpBuckets(histogram.negative) : undefined,
    min: Number.isFinite(histogram.min) ? histogram.min : undefined,
    max: Number.isFinite(histogram.max) ? histogram.max : undefined,
    exemplars,
  };
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

/** A histogram's bucket counts (a typed array) as the plain number array OTLP JSON carries; a loop, as `Array.from` over a typed array is slow. */
function toOtlpBuckets(buckets: { offset: number; bucketCounts: ArrayLike<number> }): OtlpBuckets {
  const counts = buckets.bucketCounts;
  const bucketCounts = new Array<number>(counts.length);
  for (let i = 0; i < counts.length; i++) bucketCounts[i] = counts[i];
  return { offset: buckets.offset, bucketCounts };
}
