import type { Client } from '../core/sdk/client';
import type { ExportContext, Exporter, MetricBatch } from '../core/export/exporter';

/**
 * The Sentry exporter, loaded on first use: bundlers put the Sentry glue in its own chunk, so
 * pages without Sentry never download it.
 */
export function lazySentryExporter(): Exporter {
  let exporter: Promise<Exporter> | undefined;
  return {
    name: 'sentry',
    async exportMetrics(batch: MetricBatch, context?: ExportContext) {
      exporter ??= import('./sentry-exporter').then((module) => module.sentryExporter());
      return (await exporter).exportMetrics?.(batch, context);
    },
  };
}

/** Connects the client to the page's Sentry SDK (initialised for `dsn` when needed), lazily. */
export function attachSentryLazily(client: Client): void {
  void import('./sentry-attach').then((module) => module.attachPageSentry(client));
}
