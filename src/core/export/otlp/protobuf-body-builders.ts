import { utf8ByteLength } from '../../internal/utf8-byte-length';
import type { MetricPoint } from '../../metrics/types';
import type { SpanData } from '../../trace/span-data';
import type { OtlpResource, OtlpScope } from './otlp-json';
import type { OtlpBodyBuilder } from './pack-otlp-requests';
import { ProtobufWriter } from './protobuf-writer';
import { toUcumUnit } from './to-ucum-unit';
import { METRIC_DATA_FIELD, writeDataPoint, writeResource, writeScope, writeSpan } from './write-otlp-protobuf';

/** A field key and the longest length prefix a request-sized message needs. */
const FRAMING = 1 + 5;

/** Resource and scope, encoded once for every request of a batch. */
function encodeHead(resource: OtlpResource, scope: OtlpScope): { resource: Uint8Array; scope: Uint8Array } {
  const writer = new ProtobufWriter(512);
  writeResource(writer, 1, resource);
  const resourceBytes = writer.finish();
  writeScope(writer, 1, scope);
  return { resource: resourceBytes, scope: writer.finish() };
}

/**
 * Builds `ExportMetricsServiceRequest` bodies in protobuf: `resource_metrics` (1) → resource (1)
 * and `scope_metrics` (2) → scope (1) and `metrics` (2) → name (1), unit (3) and the kind's
 * message (gauge 5, sum 7, exponential_histogram 10) with its `data_points` (1), temporality (2)
 * and, for sums, `is_monotonic` (3).
 *
 * @example
 * createRequestPacker(points, sameMetric, protobufMetricsBuilder(resource, scope, AGGREGATION_TEMPORALITY_DELTA, 160), 1 << 20);
 */
export function protobufMetricsBuilder(resource: OtlpResource, scope: OtlpScope, temporality: number, maxBuckets: number): OtlpBodyBuilder<MetricPoint> {
  const head = encodeHead(resource, scope);
  const point = new ProtobufWriter(1024);
  const out = new ProtobufWriter(16 * 1024);
  let resourceMetrics = -1;
  let scopeMetrics = -1;
  let metric = -1;
  let data = -1;
  let kind: MetricPoint['type'] = 'counter';

  const closeMetric = (): void => {
    if (metric < 0) return;
    if (kind !== 'gauge') out.uint(2, temporality);
    if (kind === 'counter') out.uint(3, 1);
    out.join(data);
    out.join(metric);
    metric = -1;
  };

  return {
    baseBytes: head.resource.length + head.scope.length + 2 * FRAMING,
    encode(item) {
      point.pos = 0;
      writeDataPoint(point, item, maxBuckets);
      return FRAMING + point.pos;
    },
    groupBytes: (item) => 3 * FRAMING + utf8ByteLength(item.name) + utf8ByteLength(item.unit) + 2 * FRAMING + 4,
    add(item, startsGroup) {
      if (resourceMetrics < 0) {
        resourceMetrics = out.fork(1);
        out.raw(head.resource, 0, head.resource.length);
        scopeMetrics = out.fork(2);
        out.raw(head.scope, 0, head.scope.length);
      }
      if (startsGroup || metric < 0) {
        closeMetric();
        metric = out.fork(2);
        out.string(1, item.name);
        const unit = toUcumUnit(item.unit);
        if (unit) out.string(3, unit);
        kind = item.type;
        data = out.fork(METRIC_DATA_FIELD[kind]);
      }
      out.tag(1, 2);
      out.varint(point.pos);
      out.raw(point.bytes, 0, point.pos);
    },
    finish() {
      if (resourceMetrics >= 0) {
        closeMetric();
        out.join(scopeMetrics);
        out.join(resourceMetrics);
        resourceMetrics = -1;
      }
      return out.finish();
    },
  };
}

/**
 * Builds `ExportTraceServiceRequest` bodies in protobuf: `resource_spans` (1) → resource (1) and
 * `scope_spans` (2) → scope (1) and `spans` (2).
 *
 * @example
 * createRequestPacker(spans, () => true, protobufSpansBuilder(resource, scope), 1 << 20);
 */
export function protobufSpansBuilder(resource: OtlpResource, scope: OtlpScope): OtlpBodyBuilder<SpanData> {
  const head = encodeHead(resource, scope);
  const span = new ProtobufWriter(1024);
  const out = new ProtobufWriter(16 * 1024);
  let resourceSpans = -1;
  let scopeSpans = -1;
  return {
    baseBytes: head.resource.length + head.scope.length + 2 * FRAMING,
    encode(item) {
      span.pos = 0;
      writeSpan(span, item);
      return FRAMING + span.pos;
    },
    groupBytes: () => 0,
    add() {
      if (resourceSpans < 0) {
        resourceSpans = out.fork(1);
        out.raw(head.resource, 0, head.resource.length);
        scopeSpans = out.fork(2);
        out.raw(head.scope, 0, head.scope.length);
      }
      out.tag(2, 2);
      out.varint(span.pos);
      out.raw(span.bytes, 0, span.pos);
    },
    finish() {
      if (resourceSpans >= 0) {
        out.join(scopeSpans);
        out.join(resourceSpans);
        resourceSpans = -1;
      }
      return out.finish();
    },
  };
}
