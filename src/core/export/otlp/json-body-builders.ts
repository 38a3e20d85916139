import { utf8ByteLength } from '../../internal/utf8-byte-length';
import type { MetricPoint } from '../../metrics/types';
import type { SpanData } from '../../trace/span-data';
import { toOtlpMetric } from './encode-otlp-metrics';
import { otlpJsonPointWriter } from './otlp-json-point-writer';
import { toOtlpSpan } from './encode-otlp-spans';
import type { OtlpResource, OtlpScope } from './otlp-json';
import type { OtlpBodyBuilder } from './pack-otlp-requests';

/**
 * Builds a request as text parts around each item's JSON, which is stringified once. Each part's
 * UTF-8 size is measured once too (the item's for packing anyway), so the body's size is known
 * without scanning it again: its length plus the extra bytes of its non-ASCII characters.
 */
function jsonBuilder<T>(prefix: string, toJson: ((item: T) => string) & { readonly extraBytes?: number }, group?: (item: T) => { open: string; close: string }): OtlpBodyBuilder<T> {
  const suffix = ']}]}]}';
  const prefixExtra = utf8ByteLength(prefix) - prefix.length;
  let parts: string[] = [];
  let text = '';
  let textExtra = 0;
  let closing = '';
  let groupParts = { open: '', close: '' };
  let groupExtra = 0;
  /** UTF-8 bytes past one a character in the parts so far. */
  let extra = 0;
  let finishedBytes = 0;
  return {
    baseBytes: prefix.length + prefixExtra + suffix.length,
    get finishedBytes() {
      return finishedBytes;
    },
    encode(item) {
      text = toJson(item);
      // A writer that knows its text's non-ASCII bytes saves a scan of it.
      const known = toJson.extraBytes;
      textExtra = typeof known === 'number' ? known : utf8ByteLength(text) - text.length;
      // One more for the comma before it.
      return text.length + textExtra + 1;
    },
    groupBytes(item) {
      if (group === undefined) return 0;
      groupParts = group(item);
      const openBytes = utf8ByteLength(groupParts.open);
      const closeBytes = utf8ByteLength(groupParts.close);
      // The closing part is pushed later (at the next group or the end), but always with this group.
      groupExtra = openBytes - groupParts.open.length + closeBytes - groupParts.close.length;
      return openBytes + closeBytes + 1;
    },
    add(_item, startsGroup) {
      if (parts.length === 0) {
        parts.push(prefix);
        extra = prefixExtra;
      } else if (startsGroup && group !== undefined) parts.push(closing, ',');
      else parts.push(',');
      if (startsGroup && group !== undefined) {
        parts.push(groupParts.open);
        closing = groupParts.close;
        extra += groupExtra;
      }
      parts.push(text);
      extra += textExtra;
    },
    finish() {
      if (parts.length === 0) {
        finishedBytes = 0;
        return '';
      }
      parts.push(closing, suffix);
      const body = parts.join('');
      finishedBytes = body.length + extra;
      parts = [];
      closing = '';
      extra = 0;
      return body;
    },
  };
}

/**
 * Builds `ExportMetricsServiceRequest` bodies in the OTLP JSON mapping, each data point written
 * once (see `otlpJsonPointWriter`) and placed inside its `Metric`.
 *
 * @example
 * createRequestPacker(points, sameMetric, jsonMetricsBuilder(resource, scope, AGGREGATION_TEMPORALITY_DELTA, 160), 60_000);
 */
export function jsonMetricsBuilder(resource: OtlpResource, scope: OtlpScope, temporality: number, maxBuckets: number): OtlpBodyBuilder<MetricPoint> {
  const prefix = `{"resourceMetrics":[{"resource":${JSON.stringify(resource)},"scopeMetrics":[{"scope":${JSON.stringify(scope)},"metrics":[`;
  return jsonBuilder(prefix, otlpJsonPointWriter(maxBuckets), (point) => {
    // The empty metric, cut where its data points go: keys and strings cannot hold an unescaped `"dataPoints":[]`.
    const empty = JSON.stringify(toOtlpMetric(point, temporality));
    const at = empty.lastIndexOf('"dataPoints":[]') + '"dataPoints":['.length;
    return { open: empty.slice(0, at), close: empty.slice(at) };
  });
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
