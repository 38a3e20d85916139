import type { Client } from '../core/client';
import { attachSentry } from '../core/export/attach-sentry';
import { loadSentryBrowser } from './load-sentry';

/** Hands the page's tracing to its Sentry SDK, once loaded. */
export function attachPageSentry(client: Client): void {
  attachSentry(client, loadSentryBrowser);
}
