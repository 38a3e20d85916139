/** isometer for browsers: the core API with page-lifecycle delivery. */
export * from '../core/index';
export { init, type BrowserOptions } from './init';
export { getPageLoadSpan } from './page-load-trace';
export type { WebVitalsOptions, WebVitalName } from './web-vitals';
export { sentryExporter } from './sentry-exporter';
export type { SentryExporterOptions, SentryClientLike } from '../core/export/sentry-exporter';
