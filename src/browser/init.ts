import type { IsometerOptions } from '../core/sdk/options';
import type { BrowserClient } from './browser-client';
import { startFront } from './start-front';

/**
 * Starts isometer in a browser: metrics aggregated and flushed on an interval and when the page
 * is hidden or left. Only a small front loads with the page: aggregation, exporters and delivery
 * load in their own chunk, fetched at once by `init`, and calls made meanwhile are kept and
 * replayed. Tracing and web vitals are integrations (`browserTracingIntegration()`,
 * `webVitalsIntegration()`), so a page that only counts ships only the metrics code; the
 * script-tag build turns both on. With `dsn` (or a Sentry SDK already on the page) metrics also
 * go to Sentry, and Sentry owns tracing. Idempotent; never throws.
 *
 * @example
 * import { init, metrics, browserTracingIntegration } from 'isometer/browser';
 * init({ tracesSampleRate: 0.2, integrations: [browserTracingIntegration()] });
 * metrics.count('checkout.click');
 */
export function init(options?: IsometerOptions): BrowserClient {
  return startFront(options, () => import('./engine'));
}
