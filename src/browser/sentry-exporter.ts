import type { Exporter } from '../core/export/exporter';
import { createSentryExporter, type SentryExporterOptions } from '../core/sentry/sentry-exporter';
import { loadSentryBrowser } from './load-sentry';

/**
 * Sends metrics to Sentry as `trace_metric` items through the page's Sentry client. `init({ dsn })`
 * adds it for you.
 *
 * @example
 * Sentry.init({ dsn });
 * init({ exporters: [sentryExporter()] });
 */
export function sentryExporter(options?: SentryExporterOptions): Exporter {
  return createSentryExporter(loadSentryBrowser, options);
}
