import { debugLogger } from '../core/internal/debug-logger';
import type { IntegrationClient } from '../core/sdk/integration';
import { instrumentFetch } from './fetch-instrumentation';
import type { FrontClient } from './front-client';
import { startPageLoadTrace } from './page-load-trace';
import { instrumentXhr } from './xhr-instrumentation';

/**
 * Browser tracing: the page-load trace, and trace headers on `fetch` and `XMLHttpRequest`. Undone
 * on `close()`. It needs the page's client from `isometer/browser`'s `init`, whose engine records
 * the requests (see `FrontClient.endRequest`); another client gets a one-time warning instead.
 */
export function installBrowserTracing(client: IntegrationClient): void {
  const front = client as Partial<FrontClient>;
  if (typeof front.endRequest !== 'function') {
    debugLogger.warnOnce('browserTracing:client', process.env.NODE_ENV !== 'production' && "browserTracingIntegration() is set up by isometer/browser's init(); with another init it does nothing.");
    return;
  }
  startPageLoadTrace(client as FrontClient);
  client.onClose(instrumentFetch(client as FrontClient));
  client.onClose(instrumentXhr(client as FrontClient));
}
