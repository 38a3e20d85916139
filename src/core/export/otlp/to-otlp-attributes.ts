import type { Attributes } from '../../internal/attributes';
import type { OtlpKeyValue } from './otlp-json';
import { toOtlpDouble } from './to-otlp-double';

/**
 * Attributes as OTLP `KeyValue`s: strings, booleans, integers as `intValue` (decimal string, as
 * int64 is in JSON) and other numbers as `doubleValue`, the choice the OpenTelemetry JS SDK makes.
 *
 * @example
 * toOtlpAttributes({ route: '/cart', retries: 2 });
 * // → [{ key: 'route', value: { stringValue: '/cart' } }, { key: 'retries', value: { intValue: '2' } }]
 */
export function toOtlpAttributes(attributes: Attributes): OtlpKeyValue[] {
  const keyValues: OtlpKeyValue[] = [];
  for (const key in attributes) {
    const value = attributes[key];
    if (typeof value === 'string') keyValues.push({ key, value: { stringValue: value } });
    else if (typeof value === 'boolean') keyValues.push({ key, value: { boolValue: value } });
    else if (typeof value === 'number') keyValues.push({ key, value: Number.isSafeInteger(value) ? { intValue: String(value) } : { doubleValue: toOtlpDouble(value) } });
  }
  return keyValues;
}
