import { canonicalAttributesKey, mergeAttributes, sanitizeAttributes } from '../internal/attributes';
import { getContextManager } from '../carrier';
import { debugLogger } from '../internal/debug-logger';

/**
 * Runs `fn` with `attributes` added to every metric recorded inside it (and, in Node, in the
 * async work it starts). Nested scopes merge; inner values win. Returns what `fn` returns.
 *
 * @example
 * withAttributes({ tenant: 'acme' }, () => metrics.count('job.done')); // counted with tenant=acme
 */
export function withAttributes<T>(attributes: Record<string, unknown>, fn: () => T): T {
  if (typeof fn !== 'function') {
    debugLogger.warnOnce('withAttributes:fn', process.env.NODE_ENV !== 'production' && 'withAttributes(attributes, fn): fn must be a function; nothing was run.');
    return undefined as T;
  }
  let manager;
  let context;
  try {
    manager = getContextManager();
    const active = manager.active();
    const merged = mergeAttributes(active?.scope?.attributes, sanitizeAttributes(attributes, 'withAttributes').attributes);
    context = { ...active, scope: { attributes: merged, key: canonicalAttributesKey(merged) } };
  } catch (error) {
    debugLogger.internalError('withAttributes', error);
    return fn();
  }
  return manager.with(context, fn);
}
