/**
 * `isometer/otlp`: the OTLP/HTTP exporter (protobuf or JSON, delta or cumulative), for browsers and Node alike, plus its JSON encoders
 * for anyone who wants the payloads themselves.
 */
export { otlpExporter, DEFAULT_OTLP_ENDPOINT, DEFAULT_EXPORT_BUCKETS, type OtlpExporter, type OtlpExporterOptions } from '../core/export/otlp/otlp-exporter';
export type { OtlpProtocol, OtlpTemporality } from '../core/export/otlp/otlp-settings';
export { encodeOtlpMetrics } from '../core/export/otlp/encode-otlp-metrics';
export { encodeOtlpSpans, SPAN_OP_ATTRIBUTE } from '../core/export/otlp/encode-otlp-spans';
export { toOtlpResource, type OtlpResourceOverrides } from '../core/export/otlp/to-otlp-resource';
export type * from '../core/export/otlp/otlp-json';
export { createFetchTransport, type FetchTransportOptions } from '../core/export/http/fetch-transport';
export type { HttpTransport, HttpRequest, HttpResponse } from '../core/export/http/http-transport';
export type { DeliveryTuning, DropRecorder } from '../core/export/http/http-delivery';
