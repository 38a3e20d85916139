import { getContextManager } from '../carrier';
import { debugLogger } from '../internal/debug-logger';

/**
 * Runs `fn` with request instrumentation off, so an exporter's own requests make no spans and
 * carry no trace headers (they would otherwise trace themselves forever). It is part of the
 * active context, so in Node it follows `fn`'s async work too.
 *
 * @example
 * await suppressTracing(() => fetch(collectorUrl, { method: 'POST', body }));
 */
export function suppressTracing<T>(fn: () => T): T {
  let manager;
  try {
    manager = getContextManager();
  } catch (error) {
    debugLogger.internalError('suppressTracing', error);
    return fn();
  }
  return manager.with({ ...manager.active(), suppressed: true }, fn);
}

/** True inside `suppressTracing`. */
export function isTracingSuppressed(): boolean {
  return getContextManager().active()?.suppressed === true;
}
