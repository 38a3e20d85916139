import type { Attributes } from '../internal/attributes';
import type { AttributeScope, ContextManager, TraceLink } from '../internal/context';
import { debugLogger } from '../internal/debug-logger';
import type { DropCounter } from '../internal/drop-counter';
import { now, wallClockMs } from '../internal/runtime-globals';
import { estimatedSeriesBytes } from './estimated-series-bytes';
import { TimeSlice } from '../internal/yield-to-host';
import { ExponentialHistogram } from './exponential-histogram';
import { SeriesIndex } from './series-index';
import { OTHER_VALUE } from './cardinality-budget';
import {
  IntervalCollection,
  type AnySeries,
  type CollectedInterval,
  type CollectedMetric,
  type CounterSeries,
  type DistributionSeries,
  type GaugeSeries,
  type SeriesBase,
} from './interval-collection';
import type { Exemplar, MetricType, MetricUnit } from './types';
import { DEFAULT_MAX_SERIES_PER_METRIC } from './metric-defaults';

export type { CollectedInterval, CounterSeries };

export { DEFAULT_MAX_SERIES_PER_METRIC };
/** Distinct metric names per interval; past it, points of new names are dropped and counted. */
export const MAX_METRICS = 10_000;
export const MAX_NAME_LENGTH = 200;
const MAX_EXEMPLARS = 3;
/**
 * Histograms start at scale 10 (worst relative error 0.034%) rather than OTel's 20: a series of
 * a few nearby values then needs a handful of buckets instead of filling the whole budget, and
 * wide data settles at scale 6 either way.
 */
const INITIAL_HISTOGRAM_SCALE = 10;

interface MetricState<S extends SeriesBase> {
  readonly type: MetricType;
  readonly name: string;
  /** The unit exactly as the first caller passed it, for a cheap equality check. */
  readonly rawUnit: unknown;
  readonly unit: MetricUnit;
  readonly index: SeriesIndex<S>;
}

const createCounter = (attributes: Attributes): CounterSeries => ({ attributes, folded: false, exemplars: undefined, sum: 0, count: 0 });
const createGauge = (attributes: Attributes): GaugeSeries => ({ attributes, folded: false, exemplars: undefined, last: 0, min: Infinity, max: -Infinity, sum: 0, count: 0 });
const createDistribution = (attributes: Attributes): DistributionSeries => ({
  attributes,
  folded: false,
  exemplars: undefined,
  histogram: new ExponentialHistogram(undefined, INITIAL_HISTOGRAM_SCALE),
  estimatedCount: 0,
});

/**
 * Aggregates data points per series for one flush interval (delta temporality): counters sum,
 * gauges keep last/min/max/sum/count, distributions feed an exponential histogram. `collect()`
 * hands the interval over and starts a fresh one. Bad input is dropped and counted, never thrown.
 */
export class MetricsAggregator {
  /** The `sampleDistributionsWithTraces` option: distributions follow their trace's decision. */
  sampleDistributionsWithTraces = false;
  /** Bumped by every `collect()`, so bound instruments know their series is gone. */
  epoch = 0;
  private counters = new Map<string, MetricState<CounterSeries>>();
  private gauges = new Map<string, MetricState<GaugeSeries>>();
  private distributions = new Map<string, MetricState<DistributionSeries>>();
  /** Every metric of the interval by type + name + normalised unit (also how calls whose unit differs from the first find theirs). */
  private byUnit = new Map<string, MetricState<AnySeries>>();
  private metricCount = 0;
  /** A rough size of the interval's series once encoded (name, attributes, framing). */
  private pendingBytes = 0;
  private pendingBytesLimit = Infinity;
  private onPendingBytesLimit: (() => void) | undefined;
  private intervalStartMs = wallClockMs();
  /** `now()` when the interval began: its length comes from the monotonic clock. */
  private intervalStartMonotonicMs = now();

  /** Part of every series' identity; undefined when there are none, so the slow path skips the merge. */
  private readonly globalAttributes: Attributes | undefined;

  /**
   * @param globalAttributes `globalAttributes` of `init`: merged into each series when it is made
   * (scoped and call attributes win), so `{ env: 'prod' }` given both globally and on a call is one series.
   */
  constructor(
    private readonly contextManager: ContextManager,
    private readonly drops: DropCounter,
    private readonly maxSeriesPerMetric: number = DEFAULT_MAX_SERIES_PER_METRIC,
    globalAttributes?: Attributes,
  ) {
    this.globalAttributes = globalAttributes !== undefined && Object.keys(globalAttributes).length > 0 ? globalAttributes : undefined;
  }

  count(name: string, value: number, unit: unknown, attributes: Record<string, unknown> | undefined): void {
    // `!(value >= 0)` also rejects NaN; counters only go up (OTel's rule for monotonic sums).
    if (typeof value !== 'number' || !(value >= 0) || value === Infinity) return this.rejectValue('metrics.count', value, 'a finite number ≥ 0');
    let state = this.counters.get(name);
    if (state === undefined || state.rawUnit !== unit) state = this.metric(this.counters, 'counter', name, unit, createCounter, 'metrics.count');
    if (state === undefined) return;
    const context = this.contextManager.active();
    const series = state.index.find(context?.scope, attributes) ?? this.slowSeries(state, context?.scope, attributes, 'metrics.count');
    if (series.folded) this.drops.record('cardinality_overflow');
    series.sum += value;
    series.count++;
    if (context?.trace !== undefined) offerExemplar(series, value, context.trace);
  }

  gauge(name: string, value: number, unit: unknown, attributes: Record<string, unknown> | undefined): void {
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.rejectValue('metrics.gauge', value, 'a finite number');
    let state = this.gauges.get(name);
    if (state === undefined || state.rawUnit !== unit) state = this.metric(this.gauges, 'gauge', name, unit, createGauge, 'metrics.gauge');
    if (state === undefined) return;
    const context = this.contextManager.active();
    const series = state.index.find(context?.scope, attributes) ?? this.slowSeries(state, context?.scope, attributes, 'metrics.gauge');
    if (series.folded) this.drops.record('cardinality_overflow');
    series.last = value;
    if (value < series.min) series.min = value;
    if (value > series.max) series.max = value;
    series.sum += value;
    series.count++;
    if (context?.trace !== undefined) offerExemplar(series, value, context.trace);
  }

  distribution(name: string, value: number, unit: unknown, attributes: Record<string, unknown> | undefined, where = 'metrics.distribution'): void {
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.rejectValue(where, value, 'a finite number');
    let state = this.distributions.get(name);
    if (state === undefined || state.rawUnit !== unit) state = this.metric(this.distributions, 'distribution', name, unit, createDistribution, where);
    if (state === undefined) return;
    const context = this.contextManager.active();
    const trace = context?.trace;
    // Trace-consistent sampling: a value recorded in a trace that was not kept is not kept either,
    // and each kept value stands for 1/rate of them, so totals can be extrapolated.
    if (this.sampleDistributionsWithTraces && trace?.sampled === false) {
      this.drops.record('sampled_out');
      return;
    }
    const series = state.index.find(context?.scope, attributes) ?? this.slowSeries(state, context?.scope, attributes, where);
    if (series.folded) this.drops.record('cardinality_overflow');
    series.histogram.record(value);
    if (this.sampleDistributionsWithTraces) series.estimatedCount += trace?.sampled === true && trace.sampleRate !== undefined && trace.sampleRate > 0 ? 1 / trace.sampleRate : 1;
    if (trace !== undefined) offerExemplar(series, value, trace);
  }

  /**
   * Adds `value` for a bound counter and returns the series it went to, so the next adds can go
   * straight to it; undefined when the point was dropped (bad name or value, counted here once) or
   * folded past the cardinality budget (each fold is counted, so every add comes back here).
   * Bound counters pin their attributes at bind time: scoped attributes and exemplars do not apply.
   */
  boundCounterAdd(name: unknown, value: unknown, unit: unknown, attributes: unknown): CounterSeries | undefined {
    if (typeof value !== 'number' || !(value >= 0) || value === Infinity) {
      this.rejectValue('counter.add', value, 'a finite number ≥ 0');
      return undefined;
    }
    const state = this.metric(this.counters, 'counter', name, unit, createCounter, 'metrics.counter');
    if (state === undefined) return undefined;
    const series = state.index.find(undefined, attributes as Record<string, unknown>) ?? this.slowSeries(state, undefined, attributes, 'metrics.counter');
    series.sum += value;
    series.count++;
    if (!series.folded) return series;
    this.drops.record('cardinality_overflow');
    return undefined;
  }

  /**
   * Calls `onLimit` (once an interval) when the interval's series, roughly sized as encoded, pass
   * `bytes`: a page flushes early so that what is pending when it is hidden fits the 64 KB
   * keepalive quota. Sized at series creation only, so recording into a known series costs nothing.
   *
   * @example
   * aggregator.flushWhenPendingExceeds(48_000, () => queueMicrotask(() => void client.flush()));
   */
  flushWhenPendingExceeds(bytes: number, onLimit: () => void): void {
    this.pendingBytesLimit = bytes;
    this.onPendingBytesLimit = onLimit;
  }

  /** True when the current interval holds at least one series. */
  hasData(): boolean {
    return this.byUnit.size > 0;
  }

  private sizeNewSeries(name: string, attributes: Attributes): void {
    const before = this.pendingBytes;
    this.pendingBytes += estimatedSeriesBytes(name, attributes);
    if (before <= this.pendingBytesLimit && this.pendingBytes > this.pendingBytesLimit) {
      try {
        this.onPendingBytesLimit?.();
      } catch (error) {
        debugLogger.internalError('early flush', error);
      }
    }
  }

  /** Hands over the interval's aggregates and starts the next interval, in one go. */
  collect(): CollectedInterval {
    const collection = this.handOver();
    collection.run(undefined);
    return collection.interval;
  }

  /**
   * The same, in slices of a few milliseconds with the event loop (or main thread) free between
   * them: the flush path, so 200,000 series never stall the host for long. The interval is handed
   * over at once; what is recorded while the slices run belongs to the next one. An interval that
   * fits in one slice comes back as it is, not as a promise, so a flush from `pagehide` reaches
   * its exporters in the same task.
   */
  collectSliced(): CollectedInterval | Promise<CollectedInterval> {
    const collection = this.handOver();
    const slice = new TimeSlice();
    return collection.run(slice) ? collection.interval : collection.runSliced(slice);
  }

  private handOver(): IntervalCollection {
    const startTimeMs = this.intervalStartMs;
    // The end follows the wall clock forward but never goes back with it (an NTP step, a user
    // changing the clock): the interval's monotonic length is the floor, so end ≥ start always.
    const monotonicNow = now();
    const endTimeMs = Math.max(startTimeMs + (monotonicNow - this.intervalStartMonotonicMs), wallClockMs());
    // `byUnit` holds every metric of the interval; the by-name maps only the first unit of each name.
    const collection = new IntervalCollection([...this.byUnit.values()] as unknown as CollectedMetric[], startTimeMs, endTimeMs);
    this.counters = new Map();
    this.gauges = new Map();
    this.distributions = new Map();
    this.byUnit = new Map();
    this.metricCount = 0;
    this.pendingBytes = 0;
    this.intervalStartMs = endTimeMs;
    this.intervalStartMonotonicMs = monotonicNow;
    this.epoch++;
    return collection;
  }

  private metric<S extends SeriesBase>(
    byName: Map<string, MetricState<S>>,
    type: MetricType,
    name: unknown,
    rawUnit: unknown,
    createSeries: (attributes: Attributes) => S,
    where: string,
  ): MetricState<S> | undefined {
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) {
      this.drops.record('invalid_name');
      debugLogger.warnOnce(`${where}:name`, `${where}: the name must be a non-empty string of at most ${MAX_NAME_LENGTH} characters; the point was dropped.`);
      return undefined;
    }
    let unit = '';
    if (typeof rawUnit === 'string') unit = rawUnit.slice(0, 64);
    else if (rawUnit !== undefined) debugLogger.warnOnce(`${where}:unit`, `${where}: unit must be a string such as "millisecond"; it was ignored.`);
    const existing = byName.get(name);
    if (existing !== undefined && existing.unit === unit) return existing;
    const unitKey = `${type}\u0000${name}\u0000${unit}`;
    const byUnit = this.byUnit.get(unitKey) as MetricState<S> | undefined;
    if (byUnit !== undefined) return byUnit;
    if (this.metricCount >= MAX_METRICS) {
      this.drops.record('too_many_metrics');
      debugLogger.warnOnce('metrics:too-many', `isometer keeps at most ${MAX_METRICS} metric names per interval; points of new names were dropped.`);
      return undefined;
    }
    const state: MetricState<S> = { type, name, rawUnit, unit, index: new SeriesIndex<S>(this.maxSeriesPerMetric, createSeries, this.globalAttributes) };
    this.metricCount++;
    this.byUnit.set(unitKey, state as unknown as MetricState<AnySeries>);
    if (existing === undefined) byName.set(name, state);
    return state;
  }

  /** The slow path; the caller counts a fold (one per point, whichever path found the series). */
  private slowSeries<S extends SeriesBase>(state: MetricState<S>, scope: AttributeScope | undefined, attributes: unknown, where: string): S {
    const seriesBefore = state.index.size;
    const resolution = state.index.resolve(scope, attributes, where);
    if (state.index.size > seriesBefore && this.onPendingBytesLimit !== undefined) this.sizeNewSeries(state.name, resolution.series.attributes);
    // One per point, as DropReason documents: a point with ten bad entries is one altered point.
    if (resolution.attributeProblems > 0) this.drops.record('invalid_attribute');
    // Once per key per interval: the index is new each interval.
    if (resolution.newlyFoldedKey !== undefined) {
      debugLogger.warn(
        `metric "${state.name}": attribute "${resolution.newlyFoldedKey}" has more distinct values than this interval's budget (${state.index.valuesPerKey} a key, maxSeriesPerMetric ${this.maxSeriesPerMetric}); new values are recorded as "${OTHER_VALUE}" and the other attributes are kept.`,
      );
    }
    return resolution.series;
  }

  private rejectValue(where: string, value: unknown, expected: string): void {
    this.drops.record('invalid_value');
    debugLogger.warnOnce(`${where}:value`, `${where}: value must be ${expected}; got ${describeValue(value)}. The point was dropped.`);
  }
}

function describeValue(value: unknown): string {
  return typeof value === 'number' ? String(value) : value === null ? 'null' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Keeps a few exemplars per series, preferring points from sampled traces. */
function offerExemplar(series: SeriesBase, value: number, trace: TraceLink): void {
  const list = (series.exemplars ??= []);
  if (list.length < MAX_EXEMPLARS) {
    list.push({ value, timestampMs: wallClockMs(), traceId: trace.traceId, spanId: trace.spanId, sampled: trace.sampled });
    return;
  }
  if (trace.sampled !== true) return;
  for (let i = 0; i < list.length; i++) {
    if (list[i].sampled !== true) {
      list[i] = { value, timestampMs: wallClockMs(), traceId: trace.traceId, spanId: trace.spanId, sampled: true };
      return;
    }
  }
}
