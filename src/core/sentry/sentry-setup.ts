import { debugLogger } from '../internal/debug-logger';
import type { TracingOptions } from '../trace/tracing-options';
import type { SentryModuleLike } from './sentry-exporter';

/** The Sentry SDK's `init`, as far as isometer calls it. */
interface SentryInitModule extends SentryModuleLike {
  init?(options: Record<string, unknown>): unknown;
}

/**
 * Makes sure the runtime has a Sentry client: attaches to the one the app initialised, or, given
 * a `dsn`, initialises Sentry with isometer's release, environment and sampling options. Resolves
 * to the Sentry module when a client is there, else undefined. Never throws.
 */
export async function ensureSentryClient(
  loadSentry: () => Promise<SentryModuleLike | undefined>,
  options: TracingOptions & { debug?: boolean },
  extra: Record<string, unknown> = {},
): Promise<SentryModuleLike | undefined> {
  try {
    const sentry = (await loadSentry()) as SentryInitModule | undefined;
    if (!sentry) {
      debugLogger.warnOnce('sentry:missing', 'init({ dsn }): the Sentry SDK could not be loaded; metrics and traces stay local and the other exporters still run.');
      return undefined;
    }
    if (sentry.getClient()) {
      debugLogger.log('attached to the Sentry client the app initialised');
      return sentry;
    }
    if (typeof sentry.init !== 'function' || !options.dsn) return undefined;
    sentry.init({
      dsn: options.dsn,
      release: options.release,
      environment: options.environment,
      tracesSampleRate: options.tracesSampleRate,
      tracesSampler: options.tracesSampler,
      tracePropagationTargets: options.tracePropagationTargets,
      propagateTraceparent: options.propagateTraceparent,
      debug: options.debug,
      ...extra,
    });
    return sentry.getClient() !== undefined ? sentry : undefined;
  } catch (error) {
    debugLogger.internalError('init({ dsn }): setting up Sentry', error);
    return undefined;
  }
}
