import type { Client } from '../core/sdk/client';
import { instrumentFetch } from './fetch-instrumentation';
import { startPageLoadTrace } from './page-load-trace';
import { instrumentXhr } from './xhr-instrumentation';

/** Browser tracing: the page-load trace, and trace headers on `fetch` and `XMLHttpRequest`. Undone on `close()`. */
export function installBrowserTracing(client: Client): void {
  startPageLoadTrace(client);
  client.onClose(instrumentFetch(client));
  client.onClose(instrumentXhr(client));
}
