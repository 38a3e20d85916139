import type { Attributes } from '../internal/attributes';

/**
 * An encoded series' size, roughly: OTLP JSON framing of a data point (≈ 160 bytes), its name,
 * and each attribute's key and value with their framing (≈ 40 bytes). Close enough to decide
 * when to flush early, and cheap.
 *
 * @example
 * estimatedSeriesBytes('cart.add', { sku: 'A-1' }); // → 215
 */
export function estimatedSeriesBytes(name: string, attributes: Attributes): number {
  let bytes = 160 + name.length;
  for (const key in attributes) bytes += 40 + key.length + String(attributes[key]).length;
  return bytes;
}
