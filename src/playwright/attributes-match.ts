import type { Attributes } from '../core/internal/attributes';

/**
 * True when every entry of `expected` is in `actual` with the same value (strict equality, so
 * `1` and `'1'` differ): expectations name the attributes they care about, not all of them.
 *
 * @example
 * includesAttributes({ plan: 'pro', route: '/cart' }, { plan: 'pro' }); // → true
 */
export function includesAttributes(actual: Attributes | undefined, expected: Attributes | undefined): boolean {
  if (expected === undefined) return true;
  const have = actual ?? {};
  for (const key of Object.keys(expected)) {
    if (!Object.prototype.hasOwnProperty.call(have, key) || have[key] !== expected[key]) return false;
  }
  return true;
}
