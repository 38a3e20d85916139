/**
 * True for a promise or any object with a `then` method: what `await` would wait for.
 *
 * @example
 * isThenable(fetch(url)); // → true
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}
