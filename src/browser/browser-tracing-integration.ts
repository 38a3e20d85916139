import type { Integration } from '../core/sdk/integration';
import { installBrowserTracing } from './install-tracing';

/**
 * Browser tracing: the page continues the server's trace from its `<meta>` tags, a `pageload`
 * span makes the sampling decision, and `fetch`/`XMLHttpRequest` carry `sentry-trace` and
 * `baggage` to `tracePropagationTargets` (default: the page's own origin). On by default in the
 * script-tag build.
 *
 * @example
 * init({ tracesSampleRate: 0.2, integrations: [browserTracingIntegration()] });
 */
export function browserTracingIntegration(): Integration {
  return { name: 'BrowserTracing', setup: installBrowserTracing };
}
