import { setTracingBridge } from '../carrier';
import { debugLogger } from '../internal/debug-logger';
import { isSentryTracing } from '../internal/tracing-bridge';
import type { TracingOptions } from '../trace/tracing-options';

/** What attaching to Sentry needs of a client: whether it is live, its options, and a way to undo on close. */
export interface SentryAttachableClient {
  readonly isActive: boolean;
  readonly options: TracingOptions & { sentry?: unknown; debug?: boolean };
  onClose(cleanup: () => void): void;
}

/**
 * Hands tracing to a Sentry SDK for the client's lifetime: spans become Sentry's, sampled by it.
 * Warns once when `sentry` is not a Sentry SDK module.
 */
export function attachTracingBridge(client: SentryAttachableClient, sentry: unknown): void {
  if (!isSentryTracing(sentry)) {
    debugLogger.warnOnce('init:sentry', 'init({ sentry }): expected the Sentry SDK module (import * as Sentry from "@sentry/browser" or "@sentry/node"); isometer traces on its own.');
    return;
  }
  if (!client.isActive) return;
  setTracingBridge(sentry);
  client.onClose(() => setTracingBridge(undefined));
  debugLogger.log('Sentry owns tracing: spans are Sentry spans, sampled by Sentry');
}
