import type { BrowserClient } from './browser/browser-client';
import type { IsometerOptions } from './core/sdk/options';
import { browserTracingIntegration } from './browser/browser-tracing-integration';
import { init as initBrowser } from './browser/init';
import { webVitalsIntegration } from './browser/web-vitals-integration';

// Everything the browser entry exports (its `init` is shadowed by the script tag's own below).
export * from './browser/index';
// A script-tag page without Sentry needs a network exporter of its own: OTLP/HTTP JSON.
export { otlpExporter } from './core/export/otlp/otlp-exporter';

/**
 * The script tag's `init`: the browser `init` with tracing and web vitals on unless
 * `integrations` says otherwise (pass `[]` for metrics only).
 *
 * @example
 * <script src="https://unpkg.com/isometer/dist/isometer.min.js"></script>
 * <script>Isometer.init({ tracesSampleRate: 0.2 }); Isometer.metrics.count('page.view');</script>
 */
export function init(options?: IsometerOptions): BrowserClient {
  const given = typeof options === 'object' && options !== null ? options : undefined;
  if (given?.integrations !== undefined) return initBrowser(given);
  return initBrowser({ ...given, integrations: [browserTracingIntegration(), webVitalsIntegration()] });
}
