import { utf8ByteLength } from '../../internal/utf8-byte-length';

/** One request body and how many items it holds. */
export interface EncodedChunk {
  body: string;
  items: number;
}

/**
 * Encodes `items` into as few bodies as it can, each within `maxBytes` of UTF-8, by halving
 * what does not fit. A single item larger than `maxBytes` still gets its own body: the limit is
 * a goal (the 64 KiB keepalive budget), not a reason to lose data.
 *
 * @example
 * splitToFit(points, (slice) => JSON.stringify(encodeOtlpMetrics(slice, resource, scope)), 60_000);
 * // → [{ body: '{"resourceMetrics":…}', items: 120 }, …]
 */
export function splitToFit<T>(items: T[], encode: (slice: T[]) => string, maxBytes: number): EncodedChunk[] {
  const body = encode(items);
  if (items.length <= 1 || utf8ByteLength(body) <= maxBytes) return [{ body, items: items.length }];
  const middle = Math.ceil(items.length / 2);
  return [...splitToFit(items.slice(0, middle), encode, maxBytes), ...splitToFit(items.slice(middle), encode, maxBytes)];
}
