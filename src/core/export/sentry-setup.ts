import { debugLogger } from '../debug-logger';
import type { ResolvedOptions } from '../options';
import type { SentryModuleLike } from './sentry-exporter';

/** The Sentry SDK's `init`, as far as isometer calls it. */
interface SentryInitModule extends SentryModuleLike {
  init?(options: Record<string, unknown>): unknown;
}

/**
 * Makes sure the runtime has a Sentry client for `dsn`: attaches to the one the app initialised,
 * or initialises Sentry with isometer's release, environment and sampling options. Never throws.
 */
export async function ensureSentryClient(loadSentry: () => Promise<SentryModuleLike | undefined>, options: ResolvedOptions, extra: Record<string, unknown> = {}): Promise<boolean> {
  try {
    const sentry = (await loadSentry()) as SentryInitModule | undefined;
    if (!sentry) {
      debugLogger.warnOnce('sentry:missing', 'init({ dsn }): the Sentry SDK could not be loaded; metrics and traces stay local and the other exporters still run.');
      return false;
    }
    if (sentry.getClient()) {
      debugLogger.log('attached to the Sentry client the app initialised');
      return true;
    }
    if (typeof sentry.init !== 'function') return false;
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
    return sentry.getClient() !== undefined;
  } catch (error) {
    debugLogger.internalError('init({ dsn }): setting up Sentry', error);
    return false;
  }
}
