import type { Exporter } from '../core/export/exporter';
import { createSentryExporter, type SentryExporterOptions, type SentryModuleLike } from '../core/sentry/sentry-exporter';

/** `@sentry/node`, loaded only when the Sentry exporter first runs (it is a large module). */
export async function loadSentryNode(): Promise<SentryModuleLike | undefined> {
  try {
    return (await import('@sentry/node')) as unknown as SentryModuleLike;
  } catch {
    return undefined;
  }
}

/**
 * Sends metrics to Sentry as `trace_metric` items through the process's Sentry client. `init({ dsn })`
 * (or `SENTRY_DSN`) adds it for you.
 *
 * @example
 * init({ exporters: [sentryExporter()] }); // after Sentry.init({ dsn })
 */
export function sentryExporter(options?: SentryExporterOptions): Exporter {
  return createSentryExporter(loadSentryNode, options);
}
