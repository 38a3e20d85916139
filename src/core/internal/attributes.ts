import { debugLogger } from './debug-logger';

/** A value an attribute may hold: what every backend (Sentry, StatsD tags, OTLP) can carry. */
export type AttributeValue = string | number | boolean;

/** Attributes (tags, labels) of a metric point or a span. */
export type Attributes = Record<string, AttributeValue>;

/** Limits that keep one careless call from costing unbounded memory or bytes. */
export const MAX_ATTRIBUTES = 32;
export const MAX_ATTRIBUTE_KEY_LENGTH = 128;
export const MAX_ATTRIBUTE_VALUE_LENGTH = 512;

/** What sanitising one attribute set found wrong, so the caller can count it. */
export interface SanitizedAttributes {
  attributes: Attributes;
  /** How many entries were dropped or cut; 0 when the input was clean. */
  problems: number;
}

const EMPTY: Attributes = /* @__PURE__ */ Object.freeze({}) as Attributes;

/**
 * Copies user attributes into a clean, sorted set: strings (cut to 512 chars), finite numbers and
 * booleans are kept; `undefined`/`null` entries are skipped silently; anything else (objects,
 * arrays, functions, NaN, bad keys, entries past the 32nd, entries whose getter throws) is dropped
 * with a one-time warning. Never throws, whatever it is given (getters that throw, proxies that
 * throw on `ownKeys`, circular objects): an unreadable object counts as no attributes.
 *
 * @example
 * sanitizeAttributes({ route: '/cart', ok: true, nested: { a: 1 } }, 'metrics.count');
 * // → { attributes: { ok: true, route: '/cart' }, problems: 1 }
 */
export function sanitizeAttributes(input: unknown, where: string): SanitizedAttributes {
  if (input === undefined || input === null) return { attributes: EMPTY, problems: 0 };
  if (typeof input !== 'object' || Array.isArray(input)) {
    debugLogger.warnOnce(
      `${where}:attributes-type`,
      process.env.NODE_ENV !== 'production' && `${where}: attributes must be a plain object of string, number or boolean values; got ${describe(input)}. They were ignored.`,
    );
    return { attributes: EMPTY, problems: 1 };
  }
  let keys: string[];
  try {
    keys = Object.keys(input);
  } catch {
    debugLogger.warnOnce(
      `${where}:attributes-unreadable`,
      process.env.NODE_ENV !== 'production' && `${where}: the attributes object could not be read (a proxy or getter threw); the attributes were ignored.`,
    );
    return { attributes: EMPTY, problems: 1 };
  }
  sortKeys(keys);
  const attributes: Attributes = {};
  let kept = 0;
  let problems = 0;
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index];
    let value: unknown;
    try {
      value = (input as Record<string, unknown>)[key];
    } catch {
      problems++;
      debugLogger.warnOnce(
        `${where}:attribute-getter`,
        process.env.NODE_ENV !== 'production' && `${where}: reading attribute "${key.slice(0, MAX_ATTRIBUTE_KEY_LENGTH)}" threw; that entry was dropped.`,
      );
      continue;
    }
    if (value === undefined || value === null) continue;
    if (key.length === 0 || key.length > MAX_ATTRIBUTE_KEY_LENGTH) {
      problems++;
      debugLogger.warnOnce(`${where}:attribute-key`, process.env.NODE_ENV !== 'production' && `${where}: attribute keys must be 1–${MAX_ATTRIBUTE_KEY_LENGTH} characters; such entries were dropped.`);
      continue;
    }
    if (kept === MAX_ATTRIBUTES) {
      problems++;
      debugLogger.warnOnce(`${where}:attribute-count`, process.env.NODE_ENV !== 'production' && `${where}: at most ${MAX_ATTRIBUTES} attributes are kept per point; the rest were dropped.`);
      continue;
    }
    const clean = sanitizeValue(value);
    if (clean === undefined) {
      problems++;
      debugLogger.warnOnce(
        `${where}:attribute-value`,
        process.env.NODE_ENV !== 'production' && `${where}: attribute "${key}" must be a string, finite number or boolean; got ${describe(value)}. It was dropped.`,
      );
      continue;
    }
    if (clean !== value) problems++;
    attributes[key] = clean;
    kept++;
  }
  return { attributes: kept === 0 ? EMPTY : attributes, problems };
}

/**
 * Sorts keys in place in `Array.prototype.sort`'s order (UTF-16 code units). A call passes a few
 * keys, and for those an insertion sort costs a page's interpreter (where a new series' first
 * call runs) a fraction of the builtin's setup; many keys take the builtin.
 */
function sortKeys(keys: string[]): void {
  if (keys.length > MAX_INSERTION_SORTED) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    for (; j >= 0 && keys[j] > key; j--) keys[j + 1] = keys[j];
    keys[j + 1] = key;
  }
}

const MAX_INSERTION_SORTED = 12;

/**
 * One attribute value as it is kept: strings cut to 512 characters, finite numbers and booleans
 * as they are; undefined for anything else.
 *
 * @example
 * sanitizeAttributeValue(NaN); // → undefined
 */
export function sanitizeAttributeValue(value: unknown): AttributeValue | undefined {
  return sanitizeValue(value);
}

function sanitizeValue(value: unknown): AttributeValue | undefined {
  switch (typeof value) {
    case 'string':
      return value.length > MAX_ATTRIBUTE_VALUE_LENGTH ? value.slice(0, MAX_ATTRIBUTE_VALUE_LENGTH) : value;
    case 'number':
      return Number.isFinite(value) ? value : undefined;
    case 'boolean':
      return value;
    default:
      return undefined;
  }
}

/**
 * A canonical string for a sanitised (sorted) attribute set: equal sets give equal keys, and the
 * type of each value is part of the key so `1` and `"1"` stay apart. Used only off the hot path.
 */
export function canonicalAttributesKey(attributes: Attributes): string {
  let key = '';
  for (const name in attributes) {
    const value = attributes[name];
    key += `${JSON.stringify(name)}:${typeof value === 'string' ? JSON.stringify(value) : typeof value === 'number' ? `n${value}` : value ? 't' : 'f'},`;
  }
  return key;
}

/** Merges attribute sets left to right (later wins) into a new sorted set. */
export function mergeAttributes(...sets: Array<Attributes | undefined>): Attributes {
  const merged: Record<string, AttributeValue> = {};
  for (const set of sets) if (set) for (const name in set) merged[name] = set[name];
  const sorted: Attributes = {};
  for (const name of Object.keys(merged).sort()) sorted[name] = merged[name];
  return sorted;
}

/** A short description of a bad value for a warning; never calls user code that could throw. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value.length > 40 ? `a ${value.length}-character string` : JSON.stringify(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
