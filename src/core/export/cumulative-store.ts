import type { Attributes } from '../internal/attributes';
import { wallClockMs } from '../internal/runtime-globals';
import { isThenable } from '../internal/on-settled';
import { TimeSlice, yieldToHost } from '../internal/yield-to-host';
import { DEFAULT_MAX_BUCKETS, ExponentialHistogram } from '../metrics/exponential-histogram';
import { attributesHash } from '../metrics/attributes-hash';
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
  /**
   * Buckets a running histogram keeps (both signs). An exporter that sends at most N buckets
   * passes N: the totals are then kept at the scale they are sent at, so merging an interval and
   * encoding it touch N buckets, not 768. Default 768 (DEFAULT_MAX_BUCKETS).
   */
  maxBuckets?: number;
}

interface StoredSeries {
  point: MetricPoint;
  /** The series' hash (type, name, unit and attributes): its key in `byHash`. */
  readonly hash: number;
  /** The next series with the same hash (a collision), if any. */
  sameHash: StoredSeries | undefined;
  /** Distributions only, from their second interval on: the running histogram (until then the first point's data is the total). */
  histogram: ExponentialHistogram | undefined;
  lastSeenMs: number;
  /** True once the latest exemplars went out with a collect. */
  exemplarsSent: boolean;
  /** Forgotten (unseen too long): skipped by every collect until `series` is compacted. */
  expired: boolean;
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
  /**
   * Series by hash, found with no string built (a key string per point and flush was a fifth of a
   * flush's garbage); equal hashes are chained and told apart by their fields.
   */
  private readonly byHash = new Map<number, StoredSeries>();
  /** Every series, in the order they started (expired ones until the next compaction): what a collect walks. */
  private readonly series: StoredSeries[] = [];
  /** Live series, overflow series included. */
  private live = 0;
  /** Collects under way: `series` is compacted only when none is, so their positions stay valid. */
  private collecting = 0;
  private readonly maxSeries: number;
  private readonly expireAfterMs: number;
  private readonly drops: DropRecorder | undefined;
  private readonly maxBuckets: number;
  /** The sliced operation running (and those queued behind it): one at a time, so a collect never sees half an add. */
  private busy: Promise<unknown> | undefined;
  /** Overflow series live in `series` too but do not count toward `maxSeries` (one per metric at most). */
  private overflowCount = 0;

  constructor(options: CumulativeStoreOptions = {}) {
    this.maxSeries = positive(options.maxSeries, DEFAULT_MAX_CUMULATIVE_SERIES);
    this.expireAfterMs = positive(options.expireAfterMs, DEFAULT_SERIES_EXPIRY_MS);
    this.drops = options.drops;
    this.maxBuckets = positive(options.maxBuckets, DEFAULT_MAX_BUCKETS);
  }

  /** Live series, overflow series included. */
  get size(): number {
    return this.live;
  }

  /** Adds one interval's delta points to the running totals, in one go. */
  add(points: readonly MetricPoint[], nowMs: number = wallClockMs()): void {
    this.addFrom(points, 0, nowMs, undefined);
  }

  /**
   * Every live series as a cumulative point stamped `timeMs`, after forgetting the series unseen
   * for `expireAfterMs`, in one go. Exemplars are those of the series' latest interval.
   */
  collect(timeMs: number = wallClockMs()): MetricPoint[] {
    const collection = this.startCollection(timeMs);
    this.collectSome(collection, undefined);
    return collection.points;
  }

  /**
   * `add`, in slices of a few milliseconds with the event loop free between them, so an interval
   * of 200,000 points never stalls the host for long. Sliced operations run one at a time, in
   * the order they were asked for: a `collectSliced` asked for during an add sees all of it or
   * none. Returns nothing (not a promise) when it ran at once, within one slice.
   *
   * @example
   * await store.addSliced(batch.points);
   */
  addSliced(points: readonly MetricPoint[], nowMs: number = wallClockMs()): void | Promise<void> {
    return this.exclusive(() => {
      const slice = new TimeSlice();
      let next = this.addFrom(points, 0, nowMs, slice);
      if (next === points.length) return undefined;
      return (async () => {
        while (next < points.length) {
          await yieldToHost();
          slice.start();
          next = this.addFrom(points, next, nowMs, slice);
        }
      })();
    });
  }

  /**
   * `collect`, in slices, one operation at a time (see `addSliced`): a consistent snapshot of the
   * totals as of the operations asked for before it. An array (not a promise) when it fit one slice.
   *
   * @example
   * const points = await store.collectSliced(batch.endTimeMs);
   */
  collectSliced(timeMs: number = wallClockMs()): MetricPoint[] | Promise<MetricPoint[]> {
    return this.exclusive(() => {
      const collection = this.startCollection(timeMs);
      const slice = new TimeSlice();
      if (this.collectSome(collection, slice)) return collection.points;
      return (async () => {
        do {
          await yieldToHost();
          slice.start();
        } while (!this.collectSome(collection, slice));
        return collection.points;
      })();
    });
  }

  /** Runs `operation` now when nothing else runs, else after what is queued; the next waits for it. */
  private exclusive<T>(operation: () => T | Promise<T>): T | Promise<T> {
    const run = (): T | Promise<T> => {
      const result = operation();
      if (!isThenable(result)) return result;
      const tracked: Promise<T> = Promise.resolve(result).finally(() => {
        if (this.busy === tracked) this.busy = undefined;
      });
      this.busy = tracked;
      return tracked;
    };
    if (this.busy === undefined) return run();
    // A failed operation does not stop the ones behind it; its caller gets the rejection.
    const queued: Promise<T> = this.busy.then(run, run).finally(() => {
      if (this.busy === queued) this.busy = undefined;
    });
    this.busy = queued;
    return queued;
  }

  /** Adds points from `from` until the slice is spent (never, when undefined); returns where it stopped. */
  private addFrom(points: readonly MetricPoint[], from: number, nowMs: number, slice: TimeSlice | undefined): number {
    let metric: MetricPoint | undefined;
    let metricHash = 0;
    for (let i = from; i < points.length; i++) {
      if (slice !== undefined && i > from && slice.spent()) return i;
      const point = points[i];
      // Points come metric by metric: the metric's part of the hash is computed once for each.
      if (metric === undefined || !sameMetric(metric, point)) {
        metric = point;
        metricHash = hashMetric(point);
      }
      let stored = this.find(point, point.attributes, metricHash);
      if (stored === undefined && this.live - this.overflowCount >= this.maxSeries) {
        this.drops?.record('cardinality_overflow');
        stored = this.find(point, OVERFLOW_ATTRIBUTES, metricHash);
        if (stored === undefined) {
          this.insert(point, OVERFLOW_ATTRIBUTES, metricHash, nowMs);
          this.overflowCount++;
          continue;
        }
      } else if (stored === undefined) {
        this.insert(point, point.attributes, metricHash, nowMs);
        continue;
      }
      accumulate(stored, point, nowMs, this.maxBuckets);
    }
    return points.length;
  }

  /** The series of `point`'s metric with `attributes`, if stored. */
  private find(point: MetricPoint, attributes: Attributes, metricHash: number): StoredSeries | undefined {
    for (let stored = this.byHash.get(seriesHash(metricHash, attributes)); stored !== undefined; stored = stored.sameHash) {
      const total = stored.point;
      if (sameMetric(total, point) && sameValues(total.attributes, attributes)) return stored;
    }
    return undefined;
  }

  /** Starts a series with `point`'s values (copied, so later intervals never write into the caller's objects). */
  private insert(point: MetricPoint, attributes: Attributes, metricHash: number, nowMs: number): void {
    const first = copy(point, undefined);
    first.attributes = attributes;
    const hash = seriesHash(metricHash, attributes);
    const stored: StoredSeries = { point: first, hash, sameHash: this.byHash.get(hash), histogram: undefined, lastSeenMs: nowMs, exemplarsSent: false, expired: false };
    this.byHash.set(hash, stored);
    this.series.push(stored);
    this.live++;
  }

  /** Forgets a series: unlinks it from its hash chain and marks it (a later compaction drops it from `series`). */
  private unlink(stored: StoredSeries): void {
    stored.expired = true;
    this.live--;
    let head = this.byHash.get(stored.hash);
    if (head === stored) {
      if (stored.sameHash === undefined) this.byHash.delete(stored.hash);
      else this.byHash.set(stored.hash, stored.sameHash);
      return;
    }
    for (; head !== undefined; head = head.sameHash) {
      if (head.sameHash === stored) {
        head.sameHash = stored.sameHash;
        return;
      }
    }
  }

  private startCollection(timeMs: number): Collection {
    this.collecting++;
    return { timeMs, read: 0, points: [], expired: 0 };
  }

  /** Collects until the slice is spent (never, when undefined); true once every series is done. */
  private collectSome(collection: Collection, slice: TimeSlice | undefined): boolean {
    const { timeMs, points } = collection;
    const series = this.series;
    while (collection.read < series.length) {
      if (slice !== undefined && slice.spent()) return false;
      const stored = series[collection.read++];
      if (stored.expired) continue;
      if (timeMs - stored.lastSeenMs > this.expireAfterMs) {
        this.unlink(stored);
        if (stored.point.attributes === OVERFLOW_ATTRIBUTES) this.overflowCount--;
        collection.expired++;
        continue;
      }
      const point = copy(stored.point, stored.histogram);
      point.timeMs = timeMs;
      // An exemplar goes out with the interval that recorded it, not again with every later one.
      if (stored.exemplarsSent && point.exemplars.length > 0) point.exemplars = [];
      stored.exemplarsSent = true;
      points.push(point);
    }
    if (collection.expired > 0) this.drops?.record('series_expired', collection.expired);
    collection.expired = 0;
    // Rare (a series expires after 15 minutes unseen by default), and one pass over pointers.
    if (--this.collecting === 0 && this.live < series.length) {
      let kept = 0;
      for (const stored of series) if (!stored.expired) series[kept++] = stored;
      series.length = kept;
    }
    return true;
  }
}

/** A collection under way: where it is in the series, and what it has built. */
interface Collection {
  readonly timeMs: number;
  /** The next series to read. */
  read: number;
  readonly points: MetricPoint[];
  expired: number;
}

const OVERFLOW_ATTRIBUTES: Attributes = { [OVERFLOW_ATTRIBUTE]: true };

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && value > 0 ? value : fallback;
}

const sameMetric = (a: MetricPoint, b: MetricPoint): boolean => a.type === b.type && a.name === b.name && a.unit === b.unit;

/** A 31-bit FNV-1a hash of a metric's type, name and unit. */
function hashMetric(point: MetricPoint): number {
  let hash = 0x811c9dc5;
  for (const text of [point.type, point.name, point.unit]) {
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    hash = Math.imul(hash ^ 0xff, 0x01000193);
  }
  return hash >>> 1;
}

/**
 * Same keys, and values of the same type that print the same. Points reach the store after
 * `beforeSendMetric`, which may put any value in: NaN, or an object, still finds its own series.
 */
function sameValues(left: Attributes, right: Attributes): boolean {
  let count = 0;
  for (const key in left) {
    const a: unknown = left[key];
    const b: unknown = right[key];
    count++;
    if (a === b) continue;
    if (typeof a !== typeof b || String(a) !== String(b)) return false;
  }
  for (const _ in right) count--;
  return count === 0;
}

/** The metric's hash mixed with the attributes' (a small integer, so the Map keys stay Smis). */
function seriesHash(metricHash: number, attributes: Attributes): number {
  return (Math.imul(metricHash ^ attributesHash(attributes), 0x01000193) >>> 2) & 0x3fffffff;
}

function accumulate(stored: StoredSeries, delta: MetricPoint, nowMs: number, maxBuckets: number): void {
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
    // Built on the second interval: a series seen once costs no histogram of its own.
    stored.histogram ??= ExponentialHistogram.fromData(total.histogram, maxBuckets);
    stored.histogram.merge(delta.histogram);
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
          // Typed counts at their own width: a plain array would cost eight bytes a bucket.
          histogram: histogram.snapshot(),
        };
  if (point.sampleRate !== undefined) copied.sampleRate = point.sampleRate;
  return copied;
}
