import type { Client } from '../core/sdk/client';
import { attachSentry } from '../core/sentry/attach-sentry';
import { loadSentryBrowser } from './load-sentry';

/** Hands the page's tracing to its Sentry SDK, once loaded. */
export function attachPageSentry(client: Client): void {
  attachSentry(client, loadSentryBrowser);
}
