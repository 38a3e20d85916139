import type { IntegrationClient } from '../core/sdk/integration';
import { setAmbientPropagation } from '../core/carrier';
import { debugLogger } from '../core/internal/debug-logger';
import { createRootPropagation } from '../core/trace/create-span';
import { propagationFromHeaders } from '../core/trace/incoming';
import type { Span } from '../core/trace/span';
import { startInactiveSpan } from '../core/trace/start-span';
import { pageState } from './page-state';

/** The page-load span of this page, once browser tracing is set up. */
export function getPageLoadSpan(): Span | undefined {
  return pageState.pageLoadSpan;
}

function metaContent(name: string): string | undefined {
  const element = document.querySelector(`meta[name="${name}"]`);
  return element?.getAttribute('content') ?? undefined;
}

/**
 * Makes the page's trace: it continues the server's from `<meta name="sentry-trace">` +
 * `<meta name="baggage">` (or `<meta name="traceparent">`), so the server render and the page
 * load are one trace, else starts a new one. A `pageload` span, started at navigation start and
 * ended at the load event, makes the sampling decision every later request of the page follows.
 */
export function startPageLoadTrace(client: IntegrationClient): void {
  if (typeof document === 'undefined') return;
  try {
    const propagation =
      propagationFromHeaders({ 'sentry-trace': metaContent('sentry-trace'), baggage: metaContent('baggage'), traceparent: metaContent('traceparent'), tracestate: metaContent('tracestate') }) ??
      createRootPropagation();
    setAmbientPropagation(propagation);
    const timeOrigin = typeof performance !== 'undefined' ? performance.timeOrigin : undefined;
    const span = startInactiveSpan({ name: location.pathname, op: 'pageload', nameSource: 'url', startTime: timeOrigin, attributes: { 'url.path': location.pathname } });
    pageState.pageLoadSpan = span;
    const end = (): void => {
      const navigation = performance.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined;
      span.end(navigation && navigation.loadEventEnd > 0 && timeOrigin !== undefined ? timeOrigin + navigation.loadEventEnd : undefined);
    };
    if (document.readyState === 'complete') queueMicrotask(end);
    else addEventListener('load', () => setTimeout(end, 0), { once: true });
    client.onClose(() => {
      setAmbientPropagation(undefined);
      pageState.pageLoadSpan = undefined;
    });
  } catch (error) {
    debugLogger.internalError('browser: page-load trace', error);
  }
}
