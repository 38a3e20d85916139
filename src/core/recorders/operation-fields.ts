/**
 * Small readers shared by the operation recorders. They never throw, whatever they are given
 * (getters that throw, proxies, odd thrown values).
 */

/** Errors whose `name` is missing or empty; also what a thrown non-object is reported as. */
export const UNKNOWN_ERROR_TYPE = 'unknown';

/** Identifying fields never go out empty, so every series of one recorder has the same attribute keys. */
export const UNKNOWN_LABEL = 'unknown';

const MAX_ERROR_TYPE_LENGTH = 64;

/** A string or number label, or `unknown`. */
export function label(value: unknown): string {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return UNKNOWN_LABEL;
}

/** The thrown value's `name` (`TypeError`, `TimeoutError`, …): low-cardinality, unlike its message. */
export function errorTypeOf(error: unknown): string {
  try {
    const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
    return typeof name === 'string' && name.length > 0 ? name.slice(0, MAX_ERROR_TYPE_LENGTH) : UNKNOWN_ERROR_TYPE;
  } catch {
    return UNKNOWN_ERROR_TYPE;
  }
}

/** `value` when it is a finite number, else undefined. */
export function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** An options argument when it is an object, else undefined (a caller may pass anything at run time). */
export function optionsObject<T extends object>(value: T | undefined): T | undefined {
  return typeof value === 'object' && value !== null ? value : undefined;
}
