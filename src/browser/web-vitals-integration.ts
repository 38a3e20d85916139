import type { Integration } from '../core/sdk/integration';
import { reportWebVitals, type WebVitalsOptions } from './web-vitals';

/**
 * Reports LCP, INP, CLS, FCP and TTFB as `web_vitals.*` distributions linked to the page-load
 * trace, sent when the page is hidden. On by default in the script-tag build.
 *
 * @example
 * init({ integrations: [browserTracingIntegration(), webVitalsIntegration({ route: () => router.pattern })] });
 */
export function webVitalsIntegration(options?: WebVitalsOptions): Integration {
  return { name: 'WebVitals', setup: (client) => reportWebVitals(client, options) };
}
