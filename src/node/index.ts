/** isometer for Node: the core API with async context, environment configuration and exit flush. */
export * from '../core/index';
export { init } from './init';
export { sentryExporter } from './sentry-exporter';
export type { SentryExporterOptions, SentryClientLike } from '../core/sentry/sentry-exporter';
export { isometerMiddleware } from './middleware';
export { statsdExporter, type StatsdExporterOptions, type StatsdMode } from './statsd/statsd-exporter';
export { createNodeHttpTransport, type NodeHttpTransportOptions } from './http-transport';
export { datadogExporter, type DatadogExporter, type DatadogExporterOptions } from './datadog/datadog-exporter';
export { prometheusExporter, type PrometheusExporter, type PrometheusExporterOptions } from './prometheus/prometheus-exporter';
export { prometheusHandler, type PrometheusHandler, type PrometheusHandlerOptions, type ScrapeResponse } from './prometheus/prometheus-handler';
