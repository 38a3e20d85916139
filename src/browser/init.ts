import type { Client } from '../core/client';
import { initWithRuntime } from '../core/init';
import type { IsometerOptions } from '../core/options';
import { attachSentry, wantsSentry } from '../core/export/attach-sentry';
import { installBrowserTracing } from './install-tracing';
import { installLifecycleFlush } from './lifecycle-flush';
import { loadSentryBrowser, sentryExporter } from './sentry-exporter';
import { reportWebVitals, type WebVitalsOptions } from './web-vitals';

/** Options of the browser `init`: the common ones plus the page's own. */
export interface BrowserOptions extends IsometerOptions {
  /** Web vitals reporting; `false` turns it off. Default: all five vitals. */
  webVitals?: WebVitalsOptions | false;
}

/**
 * Starts isometer in a browser: aggregates metrics and flushes them on an interval and when the
 * page is hidden or left. Idempotent; never throws.
 *
 * @example
 * import { init, metrics } from 'isometer/browser';
 * init({ dsn: 'https://key@o0.ingest.sentry.io/1', tracesSampleRate: 0.2 });
 * metrics.count('checkout.click');
 */
export function init(options?: BrowserOptions): Client {
  const webVitals = typeof options === 'object' && options !== null ? options.webVitals : undefined;
  return initWithRuntime(options, {
    defaultExporters(resolved) {
      if (!wantsSentry(resolved) || resolved.exporters.some((exporter) => exporter.name === 'sentry')) return [];
      return [sentryExporter()];
    },
    setup(client) {
      if (webVitals !== false) reportWebVitals(client, typeof webVitals === 'object' && webVitals !== null ? webVitals : {});
      installLifecycleFlush(client);
      installBrowserTracing(client);
      if (wantsSentry(client.options)) attachSentry(client, loadSentryBrowser);
    },
  });
}
