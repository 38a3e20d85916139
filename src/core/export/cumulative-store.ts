import type { Attributes } from '../internal/attributes';
import { wallClockMs } from '../internal/runtime-globals';
import { ExponentialHistogram } from '../metrics/exponential-histogram';
import { OVERFLOW_ATTRIBUTE } from '../metrics/series-index';
import type { MetricPoint } from '../metrics/types';
import type { DropRecorder } from '../internal/drop-counter';

/** Series kept at most, all metrics together. */
export const DEFAULT_MAX_CUMULATIVE_SERIES = 20_000;
/** A series no interval has touched for this long is forgotten (and counted). */
export const DEFAULT_SERIES_EXPIRY_MS = 15 * 60_000;

export interface CumulativeStoreOptions {
  /** Series kept at most; past it, new series fold into one `isometer.overflow` series per metric. Default 20000. */
  maxSeries?: number;
  /** A series unseen for this long is dropped and counted as `series_expired`. Default 15 minutes. */
  expireAfterMs?: number;
  /** Where folds (`cardinality_overflow`) and expiries (`series_expired`) are counted. */
  drops?: DropRecorder;
}

interface StoredSeries {
  point: MetricPoint;
  /** Distributions only: the running histogram the point's data is read from. */
  histogram: ExponentialHistogram | undefined;
  lastSeenMs: number;
  /** True once the latest exemplars went out with a collect. */
  exemplarsSent: boolean;
}

/**
 * Turns delta points (one flush interval each) into cumulative ones, per series: counters keep a
 * running sum, gauges the last value (min/max/sum/count since the series started), distributions
 * one merged exponential histogram with its count, sum, min and max. Each series keeps the start
 * time of its first interval, as the OTLP data model requires of cumulative points
 * (https://opentelemetry.io/docs/specs/otel/metrics/data-model/#temporality).
 *
 * Memory is bounded: at most `maxSeries` series; a new series past that folds into its metric's
 * `isometer.overflow: true` series (totals stay exact, the fold is counted as
 * `cardinality_overflow`), and a series not seen for `expireAfterMs` is forgotten (counted as
 * `series_expired`; if it comes back it starts again with a new start time, which readers of
 * cumulative data treat as a reset).
 *
 * @example
 * const store = new CumulativeStore({ maxSeries: 10_000, drops });
 * store.add(batch.points);
 * exportCumulative(store.collect(batch.endTimeMs)); // every live series, running totals
 */
export class CumulativeStore {
  private readonly series = new Map<string, StoredSeries>();
  private readonly maxSeries: number;
  private readonly expireAfterMs: number;
  private readonly drops: DropRecorder | undefined;
  /** Overflow series live in `series` too but do not count toward `maxSeries` (one per metric at most). */
  private overflowCount = 0;

  constructor(options: CumulativeStoreOptions = {}) {
    this.maxSeries = positive(options.maxSeries, DEFAULT_MAX_CUMULATIVE_SERIES);
    this.expireAfterMs = positive(options.expireAfterMs, DEFAULT_SERIES_EXPIRY_MS);
    this.drops = options.drops;
  }

  /** Live series, overflow series included. */
  get size(): number {
    return this.series.size;
  }

  /** Adds one interval's delta points to the running totals. */
  add(points: readonly MetricPoint[], nowMs: number = wallClockMs()): void {
    for (const point of points) {
      let key = seriesKey(point, point.attributes);
      let stored = this.series.get(key);
      if (stored === undefined && this.series.size - this.overflowCount >= this.maxSeries) {
        this.drops?.record('cardinality_overflow');
        key = seriesKey(point, OVERFLOW_ATTRIBUTES);
        stored = this.series.get(key);
        if (stored === undefined) {
          stored = start(point, OVERFLOW_ATTRIBUTES, nowMs);
          this.series.set(key, stored);
          this.overflowCount++;
          continue;
        }
      } else if (stored === undefined) {
        this.series.set(key, start(point, point.attributes, nowMs));
        continue;
      }
      accumulate(stored, point, nowMs);
    }
  }

  /**
   * Every live series as a cumulative point stamped `timeMs`, after forgetting the series unseen
   * for `expireAfterMs`. Exemplars are those of the series' latest interval.
   */
  collect(timeMs: number = wallClockMs()): MetricPoint[] {
    const points: MetricPoint[] = [];
    let expired = 0;
    for (const [key, stored] of this.series) {
      if (timeMs - stored.lastSeenMs > this.expireAfterMs) {
        this.series.delete(key);
        if (stored.point.attributes === OVERFLOW_ATTRIBUTES) this.overflowCount--;
        expired++;
        continue;
      }
      const point = copy(stored.point, stored.histogram);
      point.timeMs = timeMs;
      // An exemplar goes out with the interval that recorded it, not again with every later one.
      if (stored.exemplarsSent) point.exemplars = [];
      stored.exemplarsSent = true;
      points.push(point);
    }
    if (expired > 0) this.drops?.record('series_expired', expired);
    return points;
  }
}

const OVERFLOW_ATTRIBUTES: Attributes = { [OVERFLOW_ATTRIBUTE]: true };

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && value > 0 ? value : fallback;
}

/** Type, name, unit and attributes (already sorted by the aggregator), with separators no name holds. */
function seriesKey(point: MetricPoint, attributes: Attributes): string {
  let key = `${point.type}\u0000${point.name}\u0000${point.unit}`;
  for (const name in attributes) {
    const value = attributes[name];
    key += `\u0000${name}\u0001${typeof value === 'string' ? 's' : typeof value === 'number' ? 'n' : 'b'}${String(value)}`;
  }
  return key;
}

/** A series' first point, copied so later intervals never write into the caller's objects. */
function start(point: MetricPoint, attributes: Attributes, nowMs: number): StoredSeries {
  const histogram = point.type === 'distribution' ? ExponentialHistogram.fromData(point.histogram) : undefined;
  const first = copy(point, undefined);
  first.attributes = attributes;
  return { point: first, histogram, lastSeenMs: nowMs, exemplarsSent: false };
}

function accumulate(stored: StoredSeries, delta: MetricPoint, nowMs: number): void {
  const total = stored.point;
  stored.lastSeenMs = nowMs;
  if (delta.exemplars.length > 0) {
    total.exemplars = delta.exemplars;
    stored.exemplarsSent = false;
  }
  if (total.type === 'counter' && delta.type === 'counter') {
    total.sum += delta.sum;
    total.count += delta.count;
  } else if (total.type === 'gauge' && delta.type === 'gauge') {
    total.last = delta.last;
    if (delta.min < total.min) total.min = delta.min;
    if (delta.max > total.max) total.max = delta.max;
    total.sum += delta.sum;
    total.count += delta.count;
  } else if (total.type === 'distribution' && delta.type === 'distribution') {
    stored.histogram?.merge(delta.histogram);
    if (delta.sampleRate !== undefined) total.sampleRate = delta.sampleRate;
  }
}

/**
 * A fresh point object, so the store never writes into the caller's points nor the caller into
 * the store's; a distribution's data is read from `histogram` when given. Exemplar lists are
 * shared: they are replaced, never mutated.
 */
function copy(point: MetricPoint, histogram: ExponentialHistogram | undefined): MetricPoint {
  const { name, unit, attributes, startTimeMs, timeMs, exemplars } = point;
  if (point.type === 'counter') return { type: 'counter', name, unit, attributes, startTimeMs, timeMs, exemplars, sum: point.sum, count: point.count };
  if (point.type === 'gauge') {
    return { type: 'gauge', name, unit, attributes, startTimeMs, timeMs, exemplars, last: point.last, min: point.min, max: point.max, sum: point.sum, count: point.count };
  }
  const copied: MetricPoint =
    histogram === undefined
      ? { type: 'distribution', name, unit, attributes, startTimeMs, timeMs, exemplars, count: point.count, sum: point.sum, min: point.min, max: point.max, histogram: point.histogram }
      : {
          type: 'distribution',
          name,
          unit,
          attributes,
          startTimeMs,
          timeMs,
          exemplars,
          count: histogram.count,
          sum: histogram.sum,
          min: histogram.min,
          max: histogram.max,
          histogram: histogram.toData(),
        };
  if (point.sampleRate !== undefined) copied.sampleRate = point.sampleRate;
  return copied;
}
