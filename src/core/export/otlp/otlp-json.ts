/**
 * The OTLP/HTTP JSON shapes isometer sends, per the OTLP JSON mapping
 * (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding): lowerCamelCase fields,
 * trace and span ids as hex, 64-bit integers as decimal strings (counts, which stay below 2^53,
 * as numbers), enums as integers, and
 * non-finite doubles as `"NaN"`/`"Infinity"`/`"-Infinity"` (proto3 JSON).
 */

/** An int64/uint64/fixed64 in decimal. */
export type OtlpUint64 = string;
/** A double; proto3 JSON spells the non-finite ones as strings. */
export type OtlpDouble = number | 'NaN' | 'Infinity' | '-Infinity';

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: OtlpUint64;
  doubleValue?: OtlpDouble;
}

export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

export interface OtlpResource {
  attributes: OtlpKeyValue[];
}

export interface OtlpScope {
  name: string;
  version: string;
}

export interface OtlpExemplar {
  timeUnixNano: OtlpUint64;
  asDouble: OtlpDouble;
  traceId?: string;
  spanId?: string;
}

export interface OtlpNumberDataPoint {
  attributes: OtlpKeyValue[];
  startTimeUnixNano?: OtlpUint64;
  timeUnixNano: OtlpUint64;
  asDouble: OtlpDouble;
  exemplars?: OtlpExemplar[];
}

/** Bucket counts as JSON numbers (proto3 JSON accepts a number for a uint64; a count stays below 2^53). */
export interface OtlpBuckets {
  offset: number;
  bucketCounts: number[];
}

export interface OtlpExponentialHistogramDataPoint {
  attributes: OtlpKeyValue[];
  startTimeUnixNano: OtlpUint64;
  timeUnixNano: OtlpUint64;
  count: number;
  sum?: OtlpDouble;
  scale: number;
  zeroCount?: number;
  positive: OtlpBuckets;
  negative?: OtlpBuckets;
  min?: OtlpDouble;
  max?: OtlpDouble;
  exemplars?: OtlpExemplar[];
}

/** `AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA`: every point covers one flush interval. */
export const AGGREGATION_TEMPORALITY_DELTA = 1;
/** `AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE`: every point covers the time since its series started. */
export const AGGREGATION_TEMPORALITY_CUMULATIVE = 2;

export interface OtlpMetric {
  name: string;
  unit?: string;
  sum?: { dataPoints: OtlpNumberDataPoint[]; aggregationTemporality: number; isMonotonic: boolean };
  gauge?: { dataPoints: OtlpNumberDataPoint[] };
  exponentialHistogram?: { dataPoints: OtlpExponentialHistogramDataPoint[]; aggregationTemporality: number };
}

/** `ExportMetricsServiceRequest`, the body of `POST /v1/metrics`. */
export interface OtlpMetricsRequest {
  resourceMetrics: Array<{ resource: OtlpResource; scopeMetrics: Array<{ scope: OtlpScope; metrics: OtlpMetric[] }> }>;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: OtlpUint64;
  endTimeUnixNano: OtlpUint64;
  attributes: OtlpKeyValue[];
  status: { code: number; message?: string };
}

/** `ExportTraceServiceRequest`, the body of `POST /v1/traces`. */
export interface OtlpTraceRequest {
  resourceSpans: Array<{ resource: OtlpResource; scopeSpans: Array<{ scope: OtlpScope; spans: OtlpSpan[] }> }>;
}
