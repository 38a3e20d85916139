import { debugLogger } from '../internal/debug-logger';
import { isThenable } from '../internal/on-settled';
import type { TracingOptions } from '../trace/tracing-options';
import type { SentryModuleLike } from './sentry-exporter';

/** The Sentry SDK's `init`, as far as isometer calls it. */
interface SentryInitModule extends SentryModuleLike {
  init?(options: Record<string, unknown>): unknown;
}

/**
 * How a runtime reaches its Sentry SDK: synchronously when it can (Node, with `@sentry/node`
 * installed), so Sentry is set up before `init` returns; else a promise.
 */
export type SentryLoader = () => SentryModuleLike | undefined | Promise<SentryModuleLike | undefined>;

/**
 * Makes sure the runtime has a Sentry client: attaches to the one the app initialised, or, given
 * a `dsn`, initialises Sentry with isometer's release, environment and sampling options. Gives
 * the Sentry module when a client is there, else undefined: synchronously when `loadSentry` is
 * synchronous, so nothing recorded right after `init` misses Sentry. Never throws or rejects.
 */
export function ensureSentryClient(
  loadSentry: SentryLoader,
  options: TracingOptions & { debug?: boolean },
  extra: Record<string, unknown> = {},
): SentryModuleLike | undefined | Promise<SentryModuleLike | undefined> {
  let loaded: ReturnType<SentryLoader>;
  try {
    loaded = loadSentry();
  } catch (error) {
    debugLogger.internalError('init({ dsn }): loading Sentry', error);
    return undefined;
  }
  if (!isThenable(loaded)) return setUpSentry(loaded as SentryInitModule | undefined, options, extra);
  return (loaded as Promise<SentryModuleLike | undefined>).then(
    (sentry) => setUpSentry(sentry, options, extra),
    (error: unknown) => {
      debugLogger.internalError('init({ dsn }): loading Sentry', error);
      return undefined;
    },
  );
}

function setUpSentry(sentry: SentryInitModule | undefined, options: TracingOptions & { debug?: boolean }, extra: Record<string, unknown>): SentryModuleLike | undefined {
  try {
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
