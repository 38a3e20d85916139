import type { Exporter } from '../core/export/exporter';
import { debugLogger } from '../core/internal/debug-logger';
import { detectSentryClient } from '../core/sentry/detect-sentry';
import { createSentryExporter, type SentryExporterOptions, type SentryModuleLike } from '../core/sentry/sentry-exporter';

/**
 * Node's Sentry glue. `@sentry/node` is an optional peer dependency: loaded only when Sentry is
 * wanted (`dsn`, `SENTRY_DSN`, or a Sentry client the app initialised), and when it is not
 * installed, one warning says what to install while every other exporter keeps working.
 */

/** `@sentry/node`, loaded when first needed; undefined (warned once) when it is not installed. */
export async function loadSentryNode(): Promise<SentryModuleLike | undefined> {
  try {
    return (await import('@sentry/node')) as unknown as SentryModuleLike;
  } catch {
    debugLogger.warnOnce('sentry:node-missing', 'Sentry was asked for (dsn or SENTRY_DSN) but @sentry/node is not installed: npm install @sentry/node. Metrics still go to the other exporters.');
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

/**
 * True when a Sentry SDK has been initialised in this process and not closed. Sentry then owns
 * spans and trace-header injection, so isometer adds no headers of its own (headers are never
 * injected twice). Never throws.
 *
 * @example
 * if (!isSentryActive()) request.setHeader('sentry-trace', getTraceHeaders()['sentry-trace']);
 */
export function isSentryActive(): boolean {
  return detectSentryClient() !== undefined;
}
