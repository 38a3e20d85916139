import { toUcumUnit } from '../../core/export/otlp/to-ucum-unit';

/**
 * UCUM codes as Prometheus spells units in metric names, after OpenTelemetry's
 * "Prometheus and OpenMetrics Compatibility" (metric metadata → unit) and the collector's
 * translator table (https://github.com/open-telemetry/opentelemetry-collector-contrib, pkg/translator/prometheus).
 */
const UNIT_WORDS: Record<string, string> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  wk: 'weeks',
  bit: 'bits',
  By: 'bytes',
  kBy: 'kilobytes',
  KBy: 'kilobytes',
  KiBy: 'kibibytes',
  MBy: 'megabytes',
  MiBy: 'mebibytes',
  GBy: 'gigabytes',
  GiBy: 'gibibytes',
  TBy: 'terabytes',
  TiBy: 'tebibytes',
  PBy: 'petabytes',
  PiBy: 'pebibytes',
  EBy: 'exabytes',
  EiBy: 'exbibytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '%': 'percent',
};

/** The unit after `per` in `a/b`, singular: `requests_per_second`. */
const PER_UNIT_WORDS: Record<string, string> = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week', mo: 'month', y: 'year' };

/**
 * The unit word a Prometheus metric name ends with, from an isometer unit (`millisecond`, or a
 * UCUM code such as `By`, `1`, `{request}`, `By/s`). Annotations in braces are dropped; `1` is
 * `ratio` (used for gauges only, as the specification says); an unknown unit keeps its letters
 * and digits; `''` when there is nothing to append.
 *
 * @example
 * prometheusUnit('millisecond'); // → 'milliseconds'
 * prometheusUnit('By/s');        // → 'bytes_per_second'
 * prometheusUnit('{request}');   // → ''
 */
export function prometheusUnit(unit: string): string {
  const ucum = toUcumUnit(unit).replace(/\{[^}]*\}/g, '');
  if (ucum === '1') return 'ratio';
  const [main, per] = ucum.split('/', 2);
  const first = word(main, UNIT_WORDS);
  const second = per === undefined ? '' : word(per, PER_UNIT_WORDS);
  if (first !== '' && second !== '') return `${first}_per_${second}`;
  return second !== '' ? `per_${second}` : first;
}

function word(unit: string, table: Record<string, string>): string {
  const trimmed = unit.trim();
  if (Object.prototype.hasOwnProperty.call(table, trimmed)) return table[trimmed];
  return trimmed.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}
