/**
 * Sentry's unit names (`MeasurementUnit` in @sentry/core: duration, information, fraction) mapped to the
 * UCUM case-sensitive codes OpenTelemetry uses (https://ucum.org/ucum, and the semantic
 * conventions' `ms`, `By`, `1`).
 */
const UCUM: Record<string, string> = {
  nanosecond: 'ns',
  microsecond: 'us',
  millisecond: 'ms',
  second: 's',
  minute: 'min',
  hour: 'h',
  day: 'd',
  week: 'wk',
  bit: 'bit',
  byte: 'By',
  kilobyte: 'kBy',
  kibibyte: 'KiBy',
  megabyte: 'MBy',
  mebibyte: 'MiBy',
  gigabyte: 'GBy',
  gibibyte: 'GiBy',
  terabyte: 'TBy',
  tebibyte: 'TiBy',
  petabyte: 'PBy',
  pebibyte: 'PiBy',
  exabyte: 'EBy',
  exbibyte: 'EiBy',
  ratio: '1',
  percent: '%',
  none: '',
};

/**
 * The OTLP `unit` for an isometer unit: a known Sentry name becomes its UCUM code, anything else
 * (already UCUM, or the user's own) passes through.
 *
 * @example
 * toUcumUnit('millisecond'); // → 'ms'
 * toUcumUnit('req/s');       // → 'req/s'
 */
export function toUcumUnit(unit: string): string {
  return Object.prototype.hasOwnProperty.call(UCUM, unit) ? UCUM[unit] : unit;
}
