import type { Attributes, AttributeValue } from '../../core/internal/attributes';
import type { DistributionPoint, MetricPoint } from '../../core/metrics/types';
import { histogramValues } from '../../core/metrics/histogram-values';
import { formatStatsdNumber } from './statsd-number';
import { sampleRateForCount } from './statsd-sample-rate';
import { DEFAULT_MAX_TIMER_VALUES, DEFAULT_PERCENT_THRESHOLDS, statsdTimerValues } from './statsd-timer-values';

/** `dogstatsd`: tags and the `d` type. `statsd`: the original protocol, no tags, timers for distributions. */
export type StatsdMode = 'dogstatsd' | 'statsd';

export interface StatsdFormatOptions {
  mode: StatsdMode;
  /** Prepended with a dot to every name; '' for none. */
  prefix: string;
  /** Tags on every line in DogStatsD mode; a point's attribute with the same key wins. */
  globalTags: Attributes;
  /** No line comes out longer than this many UTF-8 bytes (the datagram limit). */
  maxLineBytes: number;
  /** Plain mode: the daemon's `percentThreshold` list (default [90]); see `statsdTimerValues`. */
  percentThresholds?: readonly number[];
  /** Plain mode: most timer values per distribution series (default 100). */
  maxTimerValues?: number;
}

/** The lines of one batch, and how many points could not be written whole. */
export interface StatsdLines {
  lines: string[];
  /** Points with a line (or, for a distribution, values) that could not be sent: too long, not finite. */
  droppedPoints: number;
}

// Datadog metric names are ASCII letters, digits, `_` and `.`; the reference statsd also keeps
// `-`. Anything else could break the line (`:|@#,\n`) or be rewritten differently by each daemon.
const NAME_DISALLOWED = /[^A-Za-z0-9_.-]/g;
// DogStatsD splits a tag at its first `:`, so a key must not hold one; a value may (URLs, times).
const TAG_KEY_DISALLOWED = /[:|@#,\n\r]/g;
const TAG_VALUE_DISALLOWED = /[|@#,\n\r]/g;

/**
 * Writes a batch's points as StatsD lines, one series at a time, each at most `maxLineBytes`:
 *
 * - counter → `name:sum|c|#tags`, one line per series per interval;
 * - gauge → `name:last|g|#tags`. Plain StatsD reads a leading `-` as a decrement, so there a
 *   negative gauge is the pair `name:0|g` + `name:-5|g`, kept in one datagram (statsd
 *   docs/metric_types.md, "Gauges");
 * - distribution → the histogram's weighted values (see `histogramValues`), the values of equal
 *   weight k packed into one DogStatsD v1.1 line `name:v1:v2|d|@r|#tags` with r = 1/k, split
 *   into several lines when one would be too long. Plain StatsD gets `name:v|ms|@r` lines from
 *   `statsdTimerValues` instead (at most 100 a series, evenly spaced in rank, so the daemon's own
 *   mean and percentiles are right): `ms` is the only distribution type the reference daemon
 *   knows (it adds `h` and `d` lines up as counters), values keep their own unit.
 *
 * In plain mode tags are dropped, the common convention: series that differ only by attributes
 * share one key there (counters add up, the last gauge wins). Exemplars are not sent.
 *
 * @example
 * formatStatsdLines(points, { mode: 'dogstatsd', prefix: 'shop', globalTags: { env: 'prod' }, maxLineBytes: 1432 });
 * // → { lines: ['shop.cart.add:3|c|#env:prod,region:eu', 'shop.latency:12:480|d|#env:prod', …], droppedPoints: 0 }
 */
export function formatStatsdLines(points: readonly MetricPoint[], options: StatsdFormatOptions): StatsdLines {
  const lines: string[] = [];
  let droppedPoints = 0;
  const hasGlobalTags = Object.keys(options.globalTags).length > 0;
  for (const point of points) {
    const name = (options.prefix ? `${options.prefix}.${point.name}` : point.name).replace(NAME_DISALLOWED, '_');
    const tags = options.mode === 'dogstatsd' ? tagField(hasGlobalTags ? { ...options.globalTags, ...point.attributes } : point.attributes) : '';
    let complete: boolean;
    switch (point.type) {
      case 'counter':
        complete = pushLine(lines, name, point.sum, `|c${tags}`, options.maxLineBytes);
        break;
      case 'gauge':
        complete =
          options.mode === 'statsd' && point.last < 0
            ? pushLine(lines, name, point.last, '|g', options.maxLineBytes, `${name}:0|g\n`)
            : pushLine(lines, name, point.last, `|g${tags}`, options.maxLineBytes);
        break;
      case 'distribution':
        complete = pushDistribution(lines, name, point, tags, options);
        break;
      default:
        complete = false;
    }
    if (!complete) droppedPoints++;
  }
  return { lines, droppedPoints };
}

function pushLine(lines: string[], name: string, value: number, tail: string, maxBytes: number, before = ''): boolean {
  if (!Number.isFinite(value)) return false;
  const line = `${before}${name}:${formatStatsdNumber(value)}${tail}`;
  if (Buffer.byteLength(line, 'utf8') > maxBytes) return false;
  lines.push(line);
  return true;
}

function pushDistribution(lines: string[], name: string, point: DistributionPoint, tags: string, options: StatsdFormatOptions): boolean {
  if (options.mode === 'statsd') return pushTimerValues(lines, name, point, options);
  // Values of the same weight share a sample rate, and so a line; lighter weights first.
  const byWeight = new Map<number, string[]>();
  let complete = true;
  for (const { value, count } of histogramValues(point)) {
    if (!Number.isFinite(value)) {
      complete = false;
      continue;
    }
    const group = byWeight.get(count);
    if (group) group.push(formatStatsdNumber(value));
    else byWeight.set(count, [formatStatsdNumber(value)]);
  }
  const weights = [...byWeight.keys()].sort((a, b) => a - b);
  for (const weight of weights) {
    const rate = sampleRateForCount(weight);
    if (pushPackedValues(lines, name, byWeight.get(weight)!, `|d${rate === undefined ? '' : `|@${rate}`}${tags}`, options.maxLineBytes) > 0) complete = false;
  }
  return complete;
}

/** Plain StatsD: one `name:v|ms|@r` line per value of `statsdTimerValues`. */
function pushTimerValues(lines: string[], name: string, point: DistributionPoint, options: StatsdFormatOptions): boolean {
  let complete = true;
  for (const { value, count } of statsdTimerValues(point, options.maxTimerValues ?? DEFAULT_MAX_TIMER_VALUES, options.percentThresholds ?? DEFAULT_PERCENT_THRESHOLDS)) {
    const rate = sampleRateForCount(count);
    const line = `${name}:${formatStatsdNumber(value)}|ms${rate === undefined ? '' : `|@${rate}`}`;
    if (!Number.isFinite(value) || Buffer.byteLength(line, 'utf8') > options.maxLineBytes) complete = false;
    else lines.push(line);
  }
  return complete;
}

/**
 * DogStatsD v1.1 value packing: `head:v1:v2:…tail`, as many values per line as fit in `maxBytes`.
 * Returns how many values fit in no line at all.
 */
function pushPackedValues(lines: string[], head: string, values: readonly string[], tail: string, maxBytes: number): number {
  const fixed = Buffer.byteLength(head, 'utf8') + Buffer.byteLength(tail, 'utf8');
  let unsent = 0;
  let packed = '';
  let size = fixed;
  for (const value of values) {
    // Formatted numbers are ASCII: one byte a character, plus the `:` before each.
    const bytes = value.length + 1;
    if (fixed + bytes > maxBytes) {
      unsent++;
      continue;
    }
    if (packed && size + bytes > maxBytes) {
      lines.push(head + packed + tail);
      packed = '';
      size = fixed;
    }
    packed += `:${value}`;
    size += bytes;
  }
  if (packed) lines.push(head + packed + tail);
  return unsent;
}

/** `|#k:v,k2:v2` with keys sorted, or '' without attributes. */
function tagField(attributes: Attributes): string {
  const keys = Object.keys(attributes);
  if (keys.length === 0) return '';
  keys.sort();
  const tags = keys.map((key) => tag(key, attributes[key]));
  return `|#${tags.join(',')}`;
}

function tag(key: string, value: AttributeValue): string {
  const cleanKey = key.replace(TAG_KEY_DISALLOWED, '_');
  const cleanValue = String(value).replace(TAG_VALUE_DISALLOWED, '_');
  // An empty value would read as `key:`; DogStatsD has value-less tags for that.
  return cleanValue === '' ? cleanKey : `${cleanKey}:${cleanValue}`;
}
