import { attachTracingBridge, type SentryAttachableClient } from './attach-tracing-bridge';
import { isThenable } from '../internal/on-settled';
import type { SentryModuleLike } from './sentry-exporter';
import { ensureSentryClient, type SentryLoader } from './sentry-setup';

export type { SentryAttachableClient, SentryLoader };

/**
 * Connects a client to the runtime's Sentry SDK: Sentry initialised for `dsn` if needed, then
 * tracing handed to it. With a synchronous loader (Node) this is done before it returns, so the
 * first span after `init` is Sentry's; with a lazy one (the browser), `onAttached` says when.
 */
export function attachSentry(client: SentryAttachableClient, loadSentry: SentryLoader, onAttached?: (sentry: SentryModuleLike | undefined) => void): void {
  // With init({ sentry }), `init` already handed tracing over; Sentry may still need initialising for `dsn`.
  const bridgeAttached = client.options.sentry !== undefined;
  const attach = (sentry: SentryModuleLike | undefined): void => {
    if (sentry && !bridgeAttached) attachTracingBridge(client, sentry);
    onAttached?.(sentry);
  };
  const sentry = ensureSentryClient(loadSentry, client.options);
  if (isThenable(sentry)) void (sentry as Promise<SentryModuleLike | undefined>).then(attach);
  else attach(sentry as SentryModuleLike | undefined);
}
