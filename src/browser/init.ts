import type { Client } from '../core/sdk/client';
import { initWithRuntime } from '../core/sdk/init';
import type { IsometerOptions } from '../core/sdk/options';
import { wantsSentry } from '../core/sentry/detect-sentry';
import { attachSentryLazily, lazySentryExporter } from './lazy-sentry';
import { installLifecycleFlush } from './lifecycle-flush';
import { createPageTransport } from './page-transport';

/**
 * Starts isometer in a browser: metrics aggregated and flushed on an interval and when the page
 * is hidden or left. Tracing and web vitals are integrations (`browserTracingIntegration()`,
 * `webVitalsIntegration()`), so a page that only counts ships only the metrics code; the
 * script-tag build turns both on. With `dsn` (or a Sentry SDK already on the page) metrics also
 * go to Sentry, and Sentry owns tracing. Idempotent; never throws.
 *
 * @example
 * import { init, metrics, browserTracingIntegration } from 'isometer/browser';
 * init({ tracesSampleRate: 0.2, integrations: [browserTracingIntegration()] });
 * metrics.count('checkout.click');
 */
export function init(options?: IsometerOptions): Client {
  return initWithRuntime(options, {
    createHttpTransport: createPageTransport,
    defaultExporters(resolved) {
      if (!wantsSentry(resolved) || resolved.exporters.some((exporter) => exporter.name === 'sentry')) return [];
      return [lazySentryExporter(resolved.sentry)];
    },
    setup(client) {
      installLifecycleFlush(client);
      if (wantsSentry(client.options)) attachSentryLazily(client);
    },
  });
}
