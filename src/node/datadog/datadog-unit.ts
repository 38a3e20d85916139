/**
 * Datadog's unit names (https://docs.datadoghq.com/metrics/units/) for the units isometer,
 * Sentry and OpenTelemetry (UCUM) spell. A unit not in the table is not sent: Datadog would not
 * know it.
 */
const DATADOG_UNITS: Record<string, string> = {
  nanosecond: 'nanosecond',
  ns: 'nanosecond',
  microsecond: 'microsecond',
  us: 'microsecond',
  millisecond: 'millisecond',
  ms: 'millisecond',
  second: 'second',
  s: 'second',
  minute: 'minute',
  min: 'minute',
  hour: 'hour',
  h: 'hour',
  day: 'day',
  d: 'day',
  week: 'week',
  bit: 'bit',
  byte: 'byte',
  By: 'byte',
  kilobyte: 'kilobyte',
  kB: 'kilobyte',
  kibibyte: 'kibibyte',
  KiBy: 'kibibyte',
  megabyte: 'megabyte',
  MB: 'megabyte',
  mebibyte: 'mebibyte',
  MiBy: 'mebibyte',
  gigabyte: 'gigabyte',
  GB: 'gigabyte',
  gibibyte: 'gibibyte',
  GiBy: 'gibibyte',
  terabyte: 'terabyte',
  tebibyte: 'tebibyte',
  percent: 'percent',
  '%': 'percent',
  ratio: 'fraction',
};

/**
 * The Datadog unit for an isometer unit, or `undefined`.
 *
 * @example
 * datadogUnit('millisecond'); // → 'millisecond'
 * datadogUnit('ms');          // → 'millisecond'
 * datadogUnit('widgets');     // → undefined
 */
export function datadogUnit(unit: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(DATADOG_UNITS, unit) ? DATADOG_UNITS[unit] : undefined;
}
