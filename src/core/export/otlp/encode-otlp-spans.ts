import type { Attributes } from '../../internal/attributes';
import type { SpanData } from '../../trace/span-data';
import type { OtlpResource, OtlpScope, OtlpSpan, OtlpTraceRequest } from './otlp-json';
import { spanKindFromOp } from './span-kind';
import { toOtlpAttributes } from './to-otlp-attributes';
import { toUnixNano } from './to-unix-nano';

/** The attribute Sentry's OTLP ingestion and OpenTelemetry bridge read a span's `op` from. */
export const SPAN_OP_ATTRIBUTE = 'sentry.op';

/**
 * Finished spans as an OTLP `ExportTraceServiceRequest` (JSON mapping): hex ids, nanosecond
 * times as decimal strings, the kind derived from `op`, `op` itself as the `sentry.op`
 * attribute, and the status code (1 OK, 2 ERROR) with its message.
 *
 * @example
 * const body = JSON.stringify(encodeOtlpSpans(batch.spans, toOtlpResource(batch.resource), { name: 'isometer', version: '0.1.0' }));
 */
export function encodeOtlpSpans(spans: SpanData[], resource: OtlpResource, scope: OtlpScope): OtlpTraceRequest {
  return { resourceSpans: [{ resource, scopeSpans: [{ scope, spans: spans.map(toOtlpSpan) }] }] };
}

/** What both encodings derive from a span: its attributes with `sentry.op`, its kind and status. */
export function otlpSpanParts(span: SpanData): { attributes: Attributes; kind: number; status: OtlpSpan['status'] } {
  let attributes = span.attributes;
  if (span.op && attributes[SPAN_OP_ATTRIBUTE] === undefined) attributes = { ...attributes, [SPAN_OP_ATTRIBUTE]: span.op };
  // `Status.StatusCode`: UNSET 0, OK 1, ERROR 2.
  const status: OtlpSpan['status'] = { code: span.status === 'ok' ? 1 : span.status === 'error' ? 2 : 0 };
  // The data model allows a status message only with ERROR.
  if (span.status === 'error' && span.statusMessage) status.message = span.statusMessage;
  return { attributes, kind: spanKindFromOp(span.op), status };
}

/** One span in the JSON mapping. */
export function toOtlpSpan(span: SpanData): OtlpSpan {
  const { attributes, kind, status } = otlpSpanParts(span);
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId || undefined,
    name: span.name,
    kind,
    startTimeUnixNano: toUnixNano(span.startTimeMs),
    endTimeUnixNano: toUnixNano(span.endTimeMs),
    attributes: toOtlpAttributes(attributes),
    status,
  };
}
