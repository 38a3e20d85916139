/**
 * The viewer's metric side: per series (origin, service, type, name, unit, attributes) a ring of
 * the points received and a ring of chart intervals (`bucketMs`), plus an all-time histogram for
 * distributions. Charts are merged from the series a filter selects when the page asks (see
 * build-charts.ts), so a filter by service or attribute still merges histograms exactly.
 * Cumulative OTLP points are turned into deltas here, per series.
 */
import type { ExponentialHistogramData } from '../core/metrics/exponential-histogram';
import { MAX_INTERVAL_BUCKETS, mergeHistogramData, percentilesOf, roundValue, subtractHistogramData } from './histogram-math';
import type { ViewerLimits } from './viewer-limits';
import type { IngestBatch, ViewerAttributes, ViewerExemplar, ViewerPoint } from './viewer-types';

/** One chart interval of one series. */
export interface SeriesInterval {
  t: number;
  /** Counter: the interval's sum; gauge: the last value. */
  value: number;
  count: number;
  min: number;
  max: number;
  histogram?: ExponentialHistogramData;
}

/** A series as the store keeps it. */
export interface StoredSeries {
  key: string;
  origin: IngestBatch['origin'];
  service: string;
  sdk: string;
  type: ViewerPoint['type'];
  name: string;
  unit: string;
  attributes: ViewerAttributes;
  points: Array<Record<string, unknown> & { exemplars: ViewerExemplar[] }>;
  intervals: Map<number, SeriesInterval>;
  overall?: ExponentialHistogramData;
  total: { intervals: number; count: number; sum: number };
  cumulative?: { startTimeMs?: number; sum?: number; histogram?: ExponentialHistogramData };
}

/**
 * @example
 * const series = createSeriesStore(DEFAULT_VIEWER_LIMITS);
 * series.add(batch, point); // → the exemplars it carried
 */
export function createSeriesStore(limits: ViewerLimits) {
  /** key → series; Map order is least recently updated first. */
  const series = new Map<string, StoredSeries>();
  const evicted = { series: 0, points: 0, intervals: 0 };

  function seriesFor(batch: IngestBatch, point: ViewerPoint): StoredSeries {
    const attributes = sortedAttributes(point.attributes);
    const key = [batch.origin, batch.service, point.type, point.name, point.unit, JSON.stringify(attributes)].join('\u0000');
    let entry = series.get(key);
    if (entry === undefined) {
      if (series.size >= limits.maxSeries) {
        const oldest = series.keys().next().value as string;
        evicted.points += series.get(oldest)!.points.length;
        series.delete(oldest);
        evicted.series++;
      }
      entry = {
        key,
        origin: batch.origin,
        service: batch.service,
        sdk: batch.sdk,
        type: point.type,
        name: point.name,
        unit: point.unit,
        attributes,
        points: [],
        intervals: new Map(),
        total: { intervals: 0, count: 0, sum: 0 },
      };
    }
    series.delete(key);
    series.set(key, entry);
    entry.sdk = batch.sdk;
    return entry;
  }

  /** Stores one point; returns the exemplars it carried (the trace links). */
  function add(batch: IngestBatch, received: ViewerPoint): ViewerExemplar[] {
    if (!received || typeof received.name !== 'string' || !received.name || !['counter', 'gauge', 'distribution'].includes(received.type)) return [];
    const entry = seriesFor(batch, received);
    const point = received.cumulative ? toDelta(entry, received) : received;
    if (point === undefined) return [];
    const timeMs = Number.isFinite(point.timeMs) ? point.timeMs! : Date.now();
    const exemplars = (point.exemplars ?? [])
      .filter((exemplar) => typeof exemplar?.traceId === 'string')
      .map((exemplar) => ({ traceId: exemplar.traceId, spanId: exemplar.spanId, value: roundValue(exemplar.value) ?? NaN, timestampMs: exemplar.timestampMs, sampled: exemplar.sampled }));
    entry.points.push({ startTimeMs: Number.isFinite(point.startTimeMs) ? point.startTimeMs : timeMs, timeMs, ...valuesOf(point), exemplars });
    if (entry.points.length > limits.maxPointsPerSeries) {
      entry.points.shift();
      evicted.points++;
    }
    entry.total.intervals++;
    entry.total.count += point.type === 'counter' ? (point.count ?? 1) : (point.count ?? 0);
    if (point.type === 'gauge') entry.total.sum = point.last ?? NaN;
    else entry.total.sum += Number.isFinite(point.sum) ? point.sum! : 0;
    if (point.type === 'distribution' && point.histogram) entry.overall = mergeHistogramData([entry.overall, point.histogram]);
    addInterval(entry, point, timeMs);
    return exemplars;
  }

  function addInterval(entry: StoredSeries, point: ViewerPoint, timeMs: number): void {
    const t = Math.floor(timeMs / limits.bucketMs) * limits.bucketMs;
    let interval = entry.intervals.get(t);
    if (interval === undefined) {
      interval = { t, value: 0, count: 0, min: Infinity, max: -Infinity };
      entry.intervals.set(t, interval);
      if (entry.intervals.size > limits.maxIntervalsPerSeries) {
        entry.intervals.delete(Math.min(...entry.intervals.keys()));
        evicted.intervals++;
      }
    }
    if (point.type === 'counter') {
      interval.value += Number.isFinite(point.sum) ? point.sum! : 0;
      interval.count += point.count ?? 1;
    } else if (point.type === 'gauge') {
      interval.value = point.last ?? NaN;
      interval.count += point.count ?? 1;
      interval.min = Math.min(interval.min, point.min ?? interval.value);
      interval.max = Math.max(interval.max, point.max ?? interval.value);
    } else {
      interval.count += point.count ?? 0;
      if (Number.isFinite(point.min)) interval.min = Math.min(interval.min, point.min!);
      if (Number.isFinite(point.max)) interval.max = Math.max(interval.max, point.max!);
      if (point.histogram) interval.histogram = mergeHistogramData([interval.histogram, point.histogram], MAX_INTERVAL_BUCKETS);
    }
  }

  /** Every series, most recently updated first; `withPoints: false` leaves the point rings out. */
  function seriesJson(selected: StoredSeries[], { withPoints = true } = {}) {
    return [...selected].reverse().map((entry) => ({
      origin: entry.origin,
      service: entry.service,
      sdk: entry.sdk,
      type: entry.type,
      name: entry.name,
      unit: entry.unit,
      attributes: entry.attributes,
      total: entry.total,
      latest: entry.points.at(-1) ?? null,
      ...(withPoints ? { points: entry.points } : {}),
    }));
  }

  function reset(): void {
    series.clear();
    for (const key of Object.keys(evicted) as Array<keyof typeof evicted>) evicted[key] = 0;
  }

  return { add, seriesJson, reset, evicted, all: () => [...series.values()], size: () => series.size };
}

/**
 * Cumulative → delta (OTLP data model, "Temporality"): the change since this series' previous
 * point with the same start time; the first point of a start time counts whole.
 */
function toDelta(entry: StoredSeries, point: ViewerPoint): ViewerPoint | undefined {
  const previous = entry.cumulative;
  const sameStart = previous !== undefined && previous.startTimeMs === point.startTimeMs;
  const startTimeMs = sameStart ? ((entry.points.at(-1)?.timeMs as number | undefined) ?? point.startTimeMs) : point.startTimeMs;
  if (point.type === 'counter') {
    entry.cumulative = { startTimeMs: point.startTimeMs, sum: point.sum };
    const sum = sameStart && (point.sum ?? 0) >= (previous!.sum ?? 0) ? (point.sum ?? 0) - (previous!.sum ?? 0) : point.sum;
    return { ...point, startTimeMs, sum, cumulative: false };
  }
  if (point.type === 'distribution' && point.histogram) {
    entry.cumulative = { startTimeMs: point.startTimeMs, histogram: point.histogram };
    const delta = sameStart && previous!.histogram ? subtractHistogramData(point.histogram, previous!.histogram) : undefined;
    const histogram = delta ?? point.histogram;
    // An interval in which nothing was recorded adds nothing.
    if (histogram.count === 0 && sameStart) return undefined;
    return { ...point, startTimeMs, histogram, count: histogram.count, sum: histogram.sum, min: histogram.min, max: histogram.max, cumulative: false };
  }
  return { ...point, cumulative: false };
}

function valuesOf(point: ViewerPoint): Record<string, unknown> {
  switch (point.type) {
    case 'counter':
      return { sum: roundValue(point.sum), count: point.count ?? null };
    case 'gauge':
      return { last: point.last, min: point.min, max: point.max, count: point.count };
    default:
      return { count: point.count, sum: roundValue(point.sum), min: roundValue(point.min), max: roundValue(point.max), ...percentilesOf(point.histogram) };
  }
}

function sortedAttributes(attributes: ViewerAttributes | undefined): ViewerAttributes {
  const sorted: ViewerAttributes = {};
  for (const key of Object.keys(attributes ?? {}).sort()) sorted[key] = attributes![key];
  return sorted;
}
