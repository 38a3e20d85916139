import { planOutgoingRequest, type OutgoingPlan, type OutgoingRuntime } from '../core/trace/outgoing';
import { getPageLoadSpan } from './page-load-trace';

// The browser's side of the one outgoing rule (core/trace/outgoing.ts): without
// `tracePropagationTargets` only the page's own origin gets headers (a cross-origin server would
// need CORS to accept them), same-origin requests are named by path, and a request made outside
// any active span hangs under the page load.
const BROWSER_RUNTIME: OutgoingRuntime = {
  propagatesByDefault: (url) => typeof location !== 'undefined' && url.origin === location.origin,
  sameOrigin: (url) => typeof location !== 'undefined' && url.origin === location.origin,
  fallbackParent: getPageLoadSpan,
};

/**
 * Plans one fetch or XHR request by the shared rule: its span and the headers to set.
 * `header` reads what the app already set on it.
 */
export function planBrowserRequest(method: string, url: URL, rawUrl: string, header: (name: string) => string | undefined): OutgoingPlan | undefined {
  return planOutgoingRequest({ method, url: url.href, rawUrl, header }, BROWSER_RUNTIME);
}
