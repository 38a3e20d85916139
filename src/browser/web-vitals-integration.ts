import type { Integration } from '../core/sdk/integration';
import { reportWebVitals, type WebVitalsOptions } from './web-vitals';

/**
 * Reports LCP, INP, CLS, FCP and TTFB as `browser.web_vital.*` distributions (ms; CLS unitless),
 * one final value per page load and per soft navigation, linked to the page-load trace (see
 * `reportWebVitals`). On by default in the script-tag build.
 *
 * @example
 * init({ integrations: [browserTracingIntegration(), webVitalsIntegration({ route: (path) => router.match(path).pattern })] });
 */
export function webVitalsIntegration(options?: WebVitalsOptions): Integration {
  return { name: 'WebVitals', setup: (client) => reportWebVitals(client, options) };
}
