/**
 * `isometer/otlp`: the OTLP/HTTP JSON exporter, for browsers and Node alike, plus its encoders
 * for anyone who wants the payloads themselves.
 */
export { otlpExporter, DEFAULT_OTLP_ENDPOINT, type OtlpExporter, type OtlpExporterOptions } from './otlp-exporter';
export { encodeOtlpMetrics } from './encode-otlp-metrics';
export { encodeOtlpSpans, SPAN_OP_ATTRIBUTE } from './encode-otlp-spans';
export { toOtlpResource, type OtlpResourceOverrides } from './to-otlp-resource';
export type * from './otlp-json';
export { createFetchTransport, type FetchTransportOptions } from '../browser/fetch-transport';
export type { HttpTransport, HttpRequest, HttpResponse } from '../core/export/http-transport';
export type { DeliveryTuning, DropRecorder } from '../core/export/http-delivery';
