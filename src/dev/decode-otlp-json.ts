/**
 * OTLP/HTTP requests (https://opentelemetry.io/docs/specs/otlp/#otlphttp) in their JSON mapping
 * → the viewer's batches. The protobuf decoder produces the same JSON shape, so both encodings
 * end here. 64-bit integers may be numbers or decimal strings, times are nanoseconds, ids hex.
 */
import type { ExponentialHistogramData } from '../core/metrics/exponential-histogram';
import { histogramOfWeighted } from './histogram-math';
import type { IngestBatch, ViewerAttributes, ViewerExemplar, ViewerPoint, ViewerSpan } from './viewer-types';

type Json = Record<string, any>; // OTLP JSON is untyped; every read below checks or converts its type.

/** OTLP AggregationTemporality (metrics.proto): 2 is CUMULATIVE. */
const CUMULATIVE = 2;
/** OTLP Status.StatusCode: 2 is ERROR, 1 is OK. */
const STATUS_ERROR = 2;
const SPAN_KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

/**
 * Batches (one per resource) from an ExportMetricsServiceRequest. Throws on a body that is not one.
 *
 * @example
 * decodeOtlpMetrics(JSON.parse(body))[0].points;
 */
export function decodeOtlpMetrics(body: unknown): IngestBatch[] {
  return listOf(requestOf(body, 'resourceMetrics')).map((resourceMetrics) => {
    const points: ViewerPoint[] = [];
    for (const scopeMetrics of listOf(resourceMetrics?.scopeMetrics)) for (const metric of listOf(scopeMetrics?.metrics)) points.push(...pointsOf(metric));
    return { ...senderOf(resourceMetrics?.resource), points, spans: [] };
  });
}

/**
 * Batches (one per resource) from an ExportTraceServiceRequest. Throws on a body that is not one.
 *
 * @example
 * decodeOtlpSpans(JSON.parse(body))[0].spans;
 */
export function decodeOtlpSpans(body: unknown): IngestBatch[] {
  return listOf(requestOf(body, 'resourceSpans')).map((resourceSpans) => {
    const spans: ViewerSpan[] = [];
    for (const scopeSpans of listOf(resourceSpans?.scopeSpans)) {
      for (const span of listOf(scopeSpans?.spans)) {
        const decoded = spanOf(span);
        if (decoded) spans.push(decoded);
      }
    }
    return { ...senderOf(resourceSpans?.resource), points: [], spans };
  });
}

function requestOf(body: unknown, key: string): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new TypeError('the body is not an OTLP request object');
  const list = (body as Json)[key];
  if (list !== undefined && !Array.isArray(list)) throw new TypeError(`${key} is not a list`);
  return list;
}

/** Service, SDK and side from the resource's semantic-convention attributes. */
function senderOf(resource: Json | undefined): Pick<IngestBatch, 'origin' | 'service' | 'sdk'> {
  const attributes = attributesOf(resource?.attributes);
  const service = typeof attributes['service.name'] === 'string' && attributes['service.name'] ? attributes['service.name'] : 'unknown_service';
  const sdk = typeof attributes['telemetry.sdk.name'] === 'string' ? attributes['telemetry.sdk.name'] : 'otlp';
  return { origin: attributes['telemetry.sdk.language'] === 'webjs' ? 'browser' : 'server', service, sdk };
}

function pointsOf(metric: Json): ViewerPoint[] {
  const name = typeof metric?.name === 'string' ? metric.name : '';
  if (!name) return [];
  const unit = typeof metric.unit === 'string' ? metric.unit : '';
  const base = (dataPoint: Json, cumulative: boolean) => ({
    name,
    unit,
    attributes: attributesOf(dataPoint.attributes),
    startTimeMs: nanosToMs(dataPoint.startTimeUnixNano) ?? nanosToMs(dataPoint.timeUnixNano),
    timeMs: nanosToMs(dataPoint.timeUnixNano),
    exemplars: listOf(dataPoint.exemplars).map(exemplarOf),
    ...(cumulative ? { cumulative } : {}),
  });
  if (metric.sum) {
    const cumulative = Number(metric.sum.aggregationTemporality) === CUMULATIVE;
    // A non-monotonic sum (an up-down counter) reads as a gauge of its running total.
    if (cumulative && metric.sum.isMonotonic !== true) return listOf(metric.sum.dataPoints).map((dataPoint) => gaugeOf(base(dataPoint, false), numberOf(dataPoint)));
    return listOf(metric.sum.dataPoints).map((dataPoint): ViewerPoint => ({ ...base(dataPoint, cumulative), type: 'counter', sum: numberOf(dataPoint), count: undefined }));
  }
  if (metric.gauge) return listOf(metric.gauge.dataPoints).map((dataPoint) => gaugeOf(base(dataPoint, false), numberOf(dataPoint)));
  if (metric.exponentialHistogram) {
    const cumulative = Number(metric.exponentialHistogram.aggregationTemporality) === CUMULATIVE;
    return listOf(metric.exponentialHistogram.dataPoints).map((dataPoint): ViewerPoint => {
      const histogram: ExponentialHistogramData = {
        scale: Number(dataPoint.scale ?? 0),
        zeroCount: Number(dataPoint.zeroCount ?? 0),
        positive: bucketsOf(dataPoint.positive),
        negative: bucketsOf(dataPoint.negative),
        count: Number(dataPoint.count ?? 0),
        sum: doubleOf(dataPoint.sum),
        min: doubleOf(dataPoint.min),
        max: doubleOf(dataPoint.max),
      };
      return { ...base(dataPoint, cumulative), type: 'distribution', count: histogram.count, sum: histogram.sum, min: histogram.min, max: histogram.max, histogram };
    });
  }
  if (metric.histogram) {
    const cumulative = Number(metric.histogram.aggregationTemporality) === CUMULATIVE;
    return listOf(metric.histogram.dataPoints).map((dataPoint): ViewerPoint => {
      const histogram = fromExplicitBuckets(dataPoint);
      return { ...base(dataPoint, cumulative), type: 'distribution', count: histogram.count, sum: histogram.sum, min: histogram.min, max: histogram.max, histogram };
    });
  }
  return [];
}

function gaugeOf(base: Omit<ViewerPoint, 'type'>, value: number): ViewerPoint {
  return { ...base, type: 'gauge', last: value, min: value, max: value, sum: value, count: 1 };
}

/**
 * An explicit-bucket histogram (OpenTelemetry's default aggregation) as an exponential one: each
 * bucket's count placed at its midpoint (the open-ended first and last buckets at their one
 * bound). Approximate, unlike exponential histograms, which are merged exactly: the bounds are
 * all the sender kept. The placement depends on the bounds only, so cumulative points of one
 * series still subtract bucket by bucket.
 */
function fromExplicitBuckets(dataPoint: Json): ExponentialHistogramData {
  const bounds = listOf(dataPoint.explicitBounds).map(Number);
  const counts = listOf(dataPoint.bucketCounts).map(Number);
  const weighted: Array<[number, number]> = [];
  counts.forEach((count, i) => {
    if (!(count > 0)) return;
    const value = bounds.length === 0 ? doubleOf(dataPoint.sum) / count : i === 0 ? bounds[0] : i >= bounds.length ? bounds[bounds.length - 1] : (bounds[i - 1] + bounds[i]) / 2;
    weighted.push([value, count]);
  });
  const histogram = histogramOfWeighted(weighted);
  const sum = doubleOf(dataPoint.sum);
  const min = doubleOf(dataPoint.min);
  const max = doubleOf(dataPoint.max);
  return {
    ...histogram,
    count: Number(dataPoint.count ?? histogram.count),
    sum: Number.isFinite(sum) ? sum : histogram.sum,
    min: Number.isFinite(min) ? min : histogram.min,
    max: Number.isFinite(max) ? max : histogram.max,
  };
}

function spanOf(span: Json): ViewerSpan | undefined {
  const traceId = hexOf(span?.traceId);
  const spanId = hexOf(span?.spanId);
  if (!traceId || !spanId) return undefined;
  const attributes = attributesOf(span.attributes);
  // isometer's OTLP encoder carries Sentry's `op` as the `sentry.op` attribute.
  const op = typeof attributes['sentry.op'] === 'string' ? attributes['sentry.op'] : undefined;
  delete attributes['sentry.op'];
  const code = Number(span.status?.code ?? 0);
  // Span.flags (OTLP ≥ 1.1): W3C trace flags in bits 0-7; bit 0 is "sampled". Absent: only sampled spans are exported.
  const flags = span.flags === undefined || span.flags === null ? undefined : Number(span.flags);
  const rate = attributes['sentry.sample_rate'];
  const startTimeMs = nanosToMs(span.startTimeUnixNano) ?? 0;
  return {
    traceId,
    spanId,
    parentSpanId: hexOf(span.parentSpanId),
    name: String(span.name ?? ''),
    op,
    kind: SPAN_KINDS[Number(span.kind ?? 0)],
    startTimeMs,
    endTimeMs: nanosToMs(span.endTimeUnixNano) ?? startTimeMs,
    status: code === STATUS_ERROR ? 'error' : code === 1 ? 'ok' : 'unset',
    statusMessage: typeof span.status?.message === 'string' && span.status.message ? span.status.message : undefined,
    attributes,
    sampled: flags === undefined || !Number.isFinite(flags) ? true : (flags & 1) === 1,
    sampleRate: typeof rate === 'number' ? rate : undefined,
  };
}

function exemplarOf(exemplar: Json): ViewerExemplar {
  return {
    value: doubleOf(exemplar?.asDouble ?? exemplar?.asInt),
    timestampMs: nanosToMs(exemplar?.timeUnixNano),
    traceId: hexOf(exemplar?.traceId),
    spanId: hexOf(exemplar?.spanId),
  };
}

/** A trace or span id as lowercase hex; undefined when missing or all zeros (W3C: invalid). */
function hexOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^[0-9a-fA-F]+$/.test(value) || /^0+$/.test(value)) return undefined;
  return value.toLowerCase();
}

function bucketsOf(buckets: Json | undefined): { offset: number; bucketCounts: number[] } {
  return { offset: Number(buckets?.offset ?? 0), bucketCounts: listOf(buckets?.bucketCounts).map(Number) };
}

function numberOf(dataPoint: Json): number {
  return dataPoint.asDouble !== undefined ? doubleOf(dataPoint.asDouble) : Number(dataPoint.asInt ?? 0);
}

/** proto3 JSON spells non-finite doubles as strings ("NaN", "Infinity"). */
function doubleOf(value: unknown): number {
  if (value === undefined || value === null) return NaN;
  return typeof value === 'number' ? value : Number(value);
}

/** Nanoseconds since the epoch (decimal string or number) → milliseconds, sub-ms kept. */
function nanosToMs(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '' || value === '0' || value === 0) return undefined;
  try {
    const nanos = BigInt(typeof value === 'number' ? Math.round(value) : String(value));
    return Number(nanos / 1000n) / 1000;
  } catch {
    return undefined;
  }
}

/** OTLP KeyValue list → flat attributes (arrays and maps as JSON text). */
export function attributesOf(list: unknown): ViewerAttributes {
  const attributes: ViewerAttributes = {};
  for (const entry of listOf(list)) if (typeof entry?.key === 'string') attributes[entry.key] = flatValueOf(entry.value);
  return attributes;
}

function flatValueOf(value: Json | undefined): string | number | boolean | null {
  const any = anyValueOf(value);
  return any === null || typeof any !== 'object' ? (any as string | number | boolean | null) : JSON.stringify(any);
}

function anyValueOf(value: Json | undefined): unknown {
  if (!value || typeof value !== 'object') return null;
  if ('stringValue' in value) return String(value.stringValue);
  if ('boolValue' in value) return Boolean(value.boolValue);
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return doubleOf(value.doubleValue);
  if ('arrayValue' in value) return listOf(value.arrayValue?.values).map(anyValueOf);
  if ('kvlistValue' in value) return Object.fromEntries(listOf(value.kvlistValue?.values).map((entry) => [String(entry?.key), anyValueOf(entry?.value)]));
  if ('bytesValue' in value) return String(value.bytesValue);
  return null;
}

function listOf(value: unknown): Json[] {
  return Array.isArray(value) ? value : [];
}
