import { debugLogger } from './debug-logger';

/**
 * True for a promise or any object with a `then` method: what `await` would wait for.
 *
 * @example
 * isThenable(fetch(url)); // → true
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Runs `run`, then calls `finish` once when it is done: on return, on throw, or, when it returns a
 * promise, on resolve or reject (`threw` says which way, `value` is the result or the error). What
 * `run` returns or throws passes through unchanged (a returned promise is replaced by one that
 * settles the same way after `finish`). A `finish` that throws is logged under `where`, never
 * rethrown: isometer's bookkeeping must not change the app's result. Written once for
 * `metrics.time`, `startSpan`, the recorders and the statsd facade, after Sentry's
 * `handleCallbackErrors` (packages/core/src/utils/handleCallbackErrors.ts).
 *
 * @example
 * const rows = onSettled('db', () => pool.query(sql), (threw) => span.end(threw ? 'error' : 'ok'));
 */
export function onSettled<T>(where: string, run: () => T, finish: (threw: boolean, value: unknown) => void): T {
  const settle = (threw: boolean, value: unknown): void => {
    try {
      finish(threw, value);
    } catch (error) {
      debugLogger.internalError(where, error);
    }
  };
  let result: T;
  try {
    result = run();
  } catch (error) {
    settle(true, error);
    throw error;
  }
  if (!isThenable(result)) {
    settle(false, result);
    return result;
  }
  return result.then(
    (value) => {
      settle(false, value);
      return value;
    },
    (error: unknown) => {
      settle(true, error);
      throw error;
    },
  ) as T;
}
