import { setTracingBridge } from '../carrier';
import { debugLogger } from '../internal/debug-logger';
import { isSentryTracing } from '../internal/tracing-bridge';
import { bridgedTracing } from '../trace/bridged-tracing';
import type { TracingOptions } from '../trace/tracing-options';
import { adoptSentryOptions, type SentryAdoptingClient, type SentryClientOptionsLike } from './adopt-sentry-options';

/** What attaching to Sentry needs of a client: whether it is live, its options, and a way to undo on close. */
export interface SentryAttachableClient extends SentryAdoptingClient {
  readonly isActive: boolean;
  readonly options: TracingOptions & { sentry?: unknown; debug?: boolean };
  onClose(cleanup: () => void): void;
}

/**
 * Hands tracing to a Sentry SDK for the client's lifetime: spans become Sentry's, sampled by it,
 * and release, environment and trace sample rates are the Sentry client's (`adoptSentryOptions`).
 * Warns once when `sentry` is not a Sentry SDK module.
 */
export function attachTracingBridge(client: SentryAttachableClient, sentry: unknown): void {
  if (!isSentryTracing(sentry)) {
    debugLogger.warnOnce('init:sentry', 'init({ sentry }): expected the Sentry SDK module (import * as Sentry from "@sentry/browser" or "@sentry/node"); isometer traces on its own.');
    return;
  }
  if (!client.isActive) return;
  setTracingBridge(sentry, bridgedTracing);
  client.onClose(() => setTracingBridge(undefined));
  adoptSentryOptions(client, sentryClientOptions(sentry));
  debugLogger.log('Sentry owns tracing: spans are Sentry spans, sampled by Sentry');
}

/** The Sentry client's options, or undefined when Sentry has no client yet. */
function sentryClientOptions(sentry: unknown): SentryClientOptionsLike | undefined {
  try {
    const getClient = (sentry as { getClient?: () => { getOptions?: () => SentryClientOptionsLike } | undefined }).getClient;
    return typeof getClient === 'function' ? getClient.call(sentry)?.getOptions?.() : undefined;
  } catch (error) {
    debugLogger.internalError('init({ sentry }): reading the Sentry client options', error);
    return undefined;
  }
}
