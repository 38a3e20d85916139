import type { Attributes } from '../internal/attributes';
import type { ExponentialHistogramData } from './exponential-histogram';

export type MetricType = 'counter' | 'gauge' | 'distribution';

/**
 * A unit name as Sentry and OTLP spell them (`millisecond`, `second`, `byte`, `percent`, …) or
 * any short string of the user's; the empty string means "no unit".
 */
export type MetricUnit = string;

/** Options every recording call accepts. */
export interface MetricOptions {
  unit?: MetricUnit;
  attributes?: Record<string, unknown>;
}

/** A data point of a series, linked to the span it was recorded in. */
export interface Exemplar {
  value: number;
  timestampMs: number;
  traceId: string;
  spanId: string;
  sampled: boolean | undefined;
}

interface BasePoint {
  /** The exported name: `prefix` applied. */
  name: string;
  unit: MetricUnit;
  /** Global, scoped and call attributes merged and sorted (call attributes win). */
  attributes: Attributes;
  /** Start and end of the aggregation interval (delta temporality), epoch milliseconds. */
  startTimeMs: number;
  timeMs: number;
  exemplars: Exemplar[];
}

/** A counter's points summed over the interval. */
export interface CounterPoint extends BasePoint {
  type: 'counter';
  sum: number;
  /** How many `add` calls made up the sum. */
  count: number;
}

/** A gauge over the interval: the last value and its spread. */
export interface GaugePoint extends BasePoint {
  type: 'gauge';
  last: number;
  min: number;
  max: number;
  sum: number;
  count: number;
}

/** A distribution over the interval: an exponential histogram with its exact count, sum, min, max. */
export interface DistributionPoint extends BasePoint {
  type: 'distribution';
  count: number;
  sum: number;
  min: number;
  max: number;
  histogram: ExponentialHistogramData;
  /**
   * With `sampleDistributionsWithTraces`, the share of this series' values that were kept:
   * `count / sampleRate` estimates how many were recorded. Absent when nothing was sampled away.
   */
  sampleRate?: number;
}

export type MetricPoint = CounterPoint | GaugePoint | DistributionPoint;
