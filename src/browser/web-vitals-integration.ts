import type { Integration } from '../core/sdk/integration';
import { debugLogger } from '../core/internal/debug-logger';
import type { WebVitalsOptions } from './web-vitals';

/**
 * Reports LCP, INP, CLS, FCP and TTFB as `browser.web_vital.*` distributions (ms; CLS unitless),
 * one final value per page load and per soft navigation, linked to the page-load trace (see
 * `reportWebVitals`). On by default in the script-tag build. Its code and the web-vitals library
 * load in their own chunk when `init` sets it up: web-vitals observes with `buffered: true`, so
 * entries from before it loaded are still seen.
 *
 * @example
 * init({ integrations: [browserTracingIntegration(), webVitalsIntegration({ route: (path) => router.match(path).pattern })] });
 */
export function webVitalsIntegration(options?: WebVitalsOptions): Integration {
  return {
    name: 'WebVitals',
    setup(client) {
      import('./web-vitals').then(
        (module) => {
          if (client.isActive) module.reportWebVitals(client, options);
        },
        (error: unknown) => debugLogger.warnOnce('webVitals:load', process.env.NODE_ENV !== 'production' && `web vitals could not be loaded (${String(error)}); they are not reported.`),
      );
    },
  };
}
