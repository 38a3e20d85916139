import type { OtlpDouble } from './otlp-json';

/**
 * A double for proto3 JSON, which spells NaN and the infinities as strings.
 *
 * @example
 * toOtlpDouble(Infinity); // → 'Infinity'
 */
export function toOtlpDouble(value: number): OtlpDouble {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return value;
}
