import type { Attributes } from '../internal/attributes';

/**
 * A 31-bit FNV-1a hash of a sanitised (sorted) attribute set, with each value's type mixed in so
 * `1` and `"1"` differ. Series are found by it instead of by a canonical string, which would cost
 * a retained string of some 60 bytes per series. Equal sets hash equal; unequal ones may collide,
 * so a match is confirmed with `sameAttributes`. Off the hot path only.
 *
 * @example
 * attributesHash({ method: 'GET', route: '/cart' }) === attributesHash({ method: 'GET', route: '/cart' }); // true
 */
export function attributesHash(attributes: Attributes): number {
  let hash = 0x811c9dc5;
  for (const key in attributes) {
    hash = mixString(hash, key);
    const value = attributes[key];
    if (typeof value === 'string') hash = mixString(Math.imul(hash ^ 0x73, 0x01000193), value);
    else if (typeof value === 'number') hash = mixString(Math.imul(hash ^ 0x6e, 0x01000193), String(value));
    else hash = Math.imul(hash ^ (value ? 0x74 : 0x66), 0x01000193);
  }
  // Non-negative and below 2^30: a small integer (Smi) key in the Map on every platform.
  return (hash >>> 2) & 0x3fffffff;
}

function mixString(hash: number, text: string): number {
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  // A separator, so ("ab", "c") and ("a", "bc") differ.
  return Math.imul(hash ^ 0xff, 0x01000193);
}

/**
 * True when two sanitised (sorted) sets hold the same keys with the same values of the same types.
 *
 * @example
 * sameAttributes({ a: 1 }, { a: '1' }); // false
 */
export function sameAttributes(left: Attributes, right: Attributes): boolean {
  let count = 0;
  for (const key in left) {
    // -0 and 0 are one series, as the canonical key `n0` made them before.
    if (left[key] !== right[key]) return false;
    count++;
  }
  return count === Object.keys(right).length;
}
