/** isometer for browsers: the core API with page-lifecycle delivery, tracing and web vitals. */
export * from '../core/index';
export { init } from './init';
export { browserTracingIntegration } from './browser-tracing-integration';
export { webVitalsIntegration } from './web-vitals-integration';
export { getPageLoadSpan } from './page-load-trace';
export type { WebVitalsOptions, WebVitalName } from './web-vitals';
export { sentryExporter } from './sentry-exporter';
export { createPageTransport, type FetchTransportOptions } from './page-transport';
export type { SentryExporterOptions, SentryClientLike } from '../core/sentry/sentry-exporter';
