import { utf8ByteLength } from '../../internal/utf8-byte-length';
import type { MetricPoint } from '../../metrics/types';
import type { SpanData } from '../../trace/span-data';
import { toOtlpDataPoint, toOtlpMetric } from './encode-otlp-metrics';
import { toOtlpSpan } from './encode-otlp-spans';
import type { OtlpResource, OtlpScope } from './otlp-json';
import type { OtlpBodyBuilder } from './pack-otlp-requests';

/** Builds a request as text parts around each item's JSON, which is stringified once. */
function jsonBuilder<T>(prefix: string, toJson: (item: T) => string, group?: (item: T) => { open: string; close: string }): OtlpBodyBuilder<T> {
  const suffix = ']}]}]}';
  let parts: string[] = [];
  let text = '';
  let closing = '';
  let groupParts = { open: '', close: '' };
  return {
    baseBytes: utf8ByteLength(prefix) + suffix.length,
    encode(item) {
      text = toJson(item);
      // One more for the comma before it.
      return utf8ByteLength(text) + 1;
    },
    groupBytes(item) {
      if (group === undefined) return 0;
      groupParts = group(item);
      return utf8ByteLength(groupParts.open) + groupParts.close.length + 1;
    },
    add(_item, startsGroup) {
      if (parts.length === 0) parts.push(prefix);
      else if (startsGroup && group !== undefined) parts.push(closing, ',');
      else parts.push(',');
      if (startsGroup && group !== undefined) {
        parts.push(groupParts.open);
        closing = groupParts.close;
      }
      parts.push(text);
    },
    finish() {
      if (parts.length === 0) return '';
      parts.push(closing, suffix);
      const body = parts.join('');
      parts = [];
      closing = '';
      return body;
    },
  };
}

/**
 * Builds `ExportMetricsServiceRequest` bodies in the OTLP JSON mapping, each data point
 * stringified once and placed inside its `Metric`.
 *
 * @example
 * createRequestPacker(points, sameMetric, jsonMetricsBuilder(resource, scope, AGGREGATION_TEMPORALITY_DELTA, 160), 60_000);
 */
export function jsonMetricsBuilder(resource: OtlpResource, scope: OtlpScope, temporality: number, maxBuckets: number): OtlpBodyBuilder<MetricPoint> {
  const prefix = `{"resourceMetrics":[{"resource":${JSON.stringify(resource)},"scopeMetrics":[{"scope":${JSON.stringify(scope)},"metrics":[`;
  return jsonBuilder(
    prefix,
    (point) => JSON.stringify(toOtlpDataPoint(point, maxBuckets)),
    (point) => {
      // The empty metric, cut where its data points go: keys and strings cannot hold an unescaped `"dataPoints":[]`.
      const empty = JSON.stringify(toOtlpMetric(point, temporality));
      const at = empty.lastIndexOf('"dataPoints":[]') + '"dataPoints":['.length;
      return { open: empty.slice(0, at), close: empty.slice(at) };
    },
  );
}

/**
 * Builds `ExportTraceServiceRequest` bodies in the OTLP JSON mapping, each span stringified once.
 *
 * @example
 * createRequestPacker(spans, () => true, jsonSpansBuilder(resource, scope), 60_000);
 */
export function jsonSpansBuilder(resource: OtlpResource, scope: OtlpScope): OtlpBodyBuilder<SpanData> {
  const prefix = `{"resourceSpans":[{"resource":${JSON.stringify(resource)},"scopeSpans":[{"scope":${JSON.stringify(scope)},"spans":[`;
  return jsonBuilder(prefix, (span) => JSON.stringify(toOtlpSpan(span)));
}
