import type { Exporter } from '../core/export/exporter';
import { createSentryExporter, type SentryExporterOptions, type SentryModuleLike } from '../core/export/sentry-exporter';

/**
 * The Sentry SDK of the page: `window.Sentry` from Sentry's script tag, else `@sentry/browser`,
 * loaded only when this exporter first runs, so apps without Sentry never download it.
 */
export async function loadSentryBrowser(): Promise<SentryModuleLike | undefined> {
  const fromScriptTag = (globalThis as { Sentry?: SentryModuleLike }).Sentry;
  if (fromScriptTag && typeof fromScriptTag.getClient === 'function') return fromScriptTag;
  try {
    return (await import('@sentry/browser')) as unknown as SentryModuleLike;
  } catch {
    return undefined;
  }
}

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
