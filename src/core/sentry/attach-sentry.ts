import { attachTracingBridge, type SentryAttachableClient } from './attach-tracing-bridge';
import type { SentryModuleLike } from './sentry-exporter';
import { ensureSentryClient } from './sentry-setup';

export type { SentryAttachableClient };

/**
 * Connects a client to the runtime's Sentry SDK once it is loaded: Sentry initialised for `dsn`
 * if needed, then tracing handed to it. Metrics and spans recorded before that are isometer's own.
 */
export function attachSentry(client: SentryAttachableClient, loadSentry: () => Promise<SentryModuleLike | undefined>): void {
  // With init({ sentry }), `init` already handed tracing over; Sentry may still need initialising for `dsn`.
  const bridgeAttached = client.options.sentry !== undefined;
  void ensureSentryClient(loadSentry, client.options).then((sentry) => {
    if (sentry && !bridgeAttached) attachTracingBridge(client, sentry);
  });
}
