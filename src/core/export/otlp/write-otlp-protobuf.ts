import type { Attributes } from '../../internal/attributes';
import { fitShift } from '../../metrics/fit-histogram-data';
import type { Exemplar, MetricPoint } from '../../metrics/types';
import type { ExponentialBuckets } from '../../metrics/exponential-histogram';
import type { SpanData } from '../../trace/span-data';
import type { OtlpKeyValue, OtlpResource, OtlpScope } from './otlp-json';
import type { ProtobufWriter } from './protobuf-writer';
import { otlpSpanParts } from './encode-otlp-spans';

/**
 * OTLP messages in protobuf, field numbers from opentelemetry-proto's `common`, `resource`,
 * `metrics` and `trace` v1 definitions. Each writes one message's fields (not its key or length).
 */

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/** `KeyValue` (key 1, value 2 → `AnyValue`: string 1, bool 2, int 3, double 4), as `toOtlpAttributes` types them. */
export function writeAttributes(writer: ProtobufWriter, field: number, attributes: Attributes): void {
  for (const key in attributes) {
    const value = attributes[key];
    const type = typeof value;
    if (type !== 'string' && type !== 'number' && type !== 'boolean') continue;
    const keyValue = writer.fork(field);
    writer.string(1, key);
    const any = writer.fork(2);
    if (type === 'string') writer.string(1, value as string);
    else if (type === 'boolean') writer.uint(2, value ? 1 : 0);
    else if (Number.isSafeInteger(value)) writer.int64(3, value as number);
    else writer.double(4, value as number);
    writer.join(any);
    writer.join(keyValue);
  }
}

/** A JSON-shaped key-value list (the resource, built once a batch). */
function writeOtlpKeyValues(writer: ProtobufWriter, field: number, keyValues: OtlpKeyValue[]): void {
  const attributes: Attributes = {};
  for (const { key, value } of keyValues) {
    if (value.stringValue !== undefined) attributes[key] = value.stringValue;
    else if (value.boolValue !== undefined) attributes[key] = value.boolValue;
    else if (value.intValue !== undefined) attributes[key] = Number(value.intValue);
    else if (typeof value.doubleValue === 'number') attributes[key] = value.doubleValue;
  }
  writeAttributes(writer, field, attributes);
}

/** `InstrumentationScope`: name 1, version 2. */
export function writeScope(writer: ProtobufWriter, field: number, scope: OtlpScope): void {
  const start = writer.fork(field);
  writer.string(1, scope.name);
  writer.string(2, scope.version);
  writer.join(start);
}

/** `Resource`: attributes 1. */
export function writeResource(writer: ProtobufWriter, field: number, resource: OtlpResource): void {
  const start = writer.fork(field);
  writeOtlpKeyValues(writer, 1, resource.attributes);
  writer.join(start);
}

/** The `Metric` field a point's kind goes in: gauge 5, sum 7, exponential_histogram 10. */
export const METRIC_DATA_FIELD = { counter: 7, gauge: 5, distribution: 10 } as const;

/**
 * A data point's fields: `NumberDataPoint` for counters (the sum) and gauges (the last value),
 * `ExponentialHistogramDataPoint` for distributions (at most `maxBuckets` buckets), with their exemplars.
 */
export function writeDataPoint(writer: ProtobufWriter, point: MetricPoint, maxBuckets: number): void {
  if (point.type === 'distribution') {
    const histogram = point.histogram;
    // Past `maxBuckets`, neighbours are merged as they are written (fitHistogramData's result, without its copy).
    const shift = fitShift(histogram, maxBuckets);
    writeAttributes(writer, 1, point.attributes);
    writer.unixNano(2, point.startTimeMs);
    writer.unixNano(3, point.timeMs);
    // count and sum come from the histogram so that count = zeroCount + Σ buckets holds.
    writer.fixed64(4, histogram.count);
    if (Number.isFinite(histogram.sum)) writer.double(5, histogram.sum);
    writer.sint32(6, histogram.scale - shift);
    if (histogram.zeroCount > 0) writer.fixed64(7, histogram.zeroCount);
    writeBuckets(writer, 8, histogram.positive, shift);
    if (histogram.negative.bucketCounts.length > 0) writeBuckets(writer, 9, histogram.negative, shift);
    writeExemplars(writer, 11, point.exemplars);
    if (Number.isFinite(histogram.min)) writer.double(12, histogram.min);
    if (Number.isFinite(histogram.max)) writer.double(13, histogram.max);
    return;
  }
  // NumberDataPoint. A gauge's start time is optional and carries no meaning, so it is left out.
  if (point.type === 'counter') writer.unixNano(2, point.startTimeMs);
  writer.unixNano(3, point.timeMs);
  writer.double(4, point.type === 'counter' ? point.sum : point.last);
  writeExemplars(writer, 5, point.exemplars);
  writeAttributes(writer, 7, point.attributes);
}

/**
 * `Buckets`: offset 1 (sint32), bucket_counts 2 (packed uint64), `shift` scales coarser: bucket
 * i lies inside bucket i >> shift, and consecutive buckets map to the same or the next one, so
 * each run is summed and written as it ends.
 */
function writeBuckets(writer: ProtobufWriter, field: number, buckets: ExponentialBuckets, shift: number): void {
  const start = writer.fork(field);
  const bucketCounts = buckets.bucketCounts;
  const length = bucketCounts.length;
  writer.sint32(1, length === 0 ? buckets.offset : buckets.offset >> shift);
  if (length > 0) {
    const counts = writer.fork(2);
    if (shift === 0) {
      for (let i = 0; i < length; i++) writer.varint(bucketCounts[i]);
    } else {
      let index = buckets.offset;
      let current = index >> shift;
      let sum = 0;
      for (let i = 0; i < length; i++, index++) {
        const merged = index >> shift;
        if (merged !== current) {
          writer.varint(sum);
          current = merged;
          sum = 0;
        }
        sum += bucketCounts[i];
      }
      writer.varint(sum);
    }
    writer.join(counts);
  }
  writer.join(start);
}

/** `Exemplar`: time 2, as_double 3, span_id 4, trace_id 5 (ids only when both are whole). */
function writeExemplars(writer: ProtobufWriter, field: number, exemplars: Exemplar[]): void {
  for (const exemplar of exemplars) {
    const start = writer.fork(field);
    writer.unixNano(2, exemplar.timestampMs);
    writer.double(3, exemplar.value);
    if (TRACE_ID.test(exemplar.traceId) && SPAN_ID.test(exemplar.spanId)) {
      writer.hexBytes(4, exemplar.spanId);
      writer.hexBytes(5, exemplar.traceId);
    }
    writer.join(start);
  }
}

/** `Span`: ids 1, 2, 4; name 5; kind 6; times 7, 8; attributes 9; status 15 (message 2, code 3). */
export function writeSpan(writer: ProtobufWriter, span: SpanData): void {
  const { attributes, kind, status } = otlpSpanParts(span);
  writer.hexBytes(1, span.traceId);
  writer.hexBytes(2, span.spanId);
  if (span.parentSpanId) writer.hexBytes(4, span.parentSpanId);
  writer.string(5, span.name);
  writer.uint(6, kind);
  writer.unixNano(7, span.startTimeMs);
  writer.unixNano(8, span.endTimeMs);
  writeAttributes(writer, 9, attributes);
  const start = writer.fork(15);
  if (status.message !== undefined) writer.string(2, status.message);
  if (status.code !== 0) writer.uint(3, status.code);
  writer.join(start);
}
