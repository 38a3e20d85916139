import type { ExportContext, Exporter, MetricBatch } from '../core/export/exporter';
import type { Client } from '../core/sdk/client';
import type { SentryExporterOptions } from '../core/sentry/sentry-exporter';

/**
 * The Sentry exporter, its glue loaded on first use: bundlers put `./sentry` in its own chunk, so
 * pages without Sentry never download it.
 */
export function lazySentryExporter(sentry: unknown, options?: SentryExporterOptions): Exporter {
  let exporter: Promise<Exporter> | undefined;
  return {
    name: 'sentry',
    async exportMetrics(batch: MetricBatch, context?: ExportContext) {
      exporter ??= import('./sentry').then((module) => module.pageSentryExporter(sentry, options));
      return (await exporter).exportMetrics?.(batch, context);
    },
  };
}

/** Connects the client to the page's Sentry SDK, its glue loaded lazily. */
export function attachSentryLazily(client: Client): void {
  void import('./sentry').then((module) => module.attachPageSentry(client));
}

/**
 * Sends metrics to Sentry as `trace_metric` items through the page's Sentry client (`window.Sentry`,
 * or the client the app initialised); its code loads on the first export. `init({ dsn, sentry: Sentry })`
 * adds it for you.
 *
 * @example
 * Sentry.init({ dsn });
 * init({ exporters: [sentryExporter()] });
 */
export function sentryExporter(options?: SentryExporterOptions): Exporter {
  return lazySentryExporter(undefined, options);
}
