import type { MetricType } from '../core/metrics/types';
import type { CapturedPoint } from './telemetry-snapshot';

/**
 * Several intervals' points of one metric folded into one figure per field: counters and
 * distributions add up (`sum`, `count`), `min`/`max` span all points, and `last` is the gauge
 * value of the latest point (by `timeMs`, then by order captured).
 */
export interface PointAggregate {
  type: MetricType;
  /** How many interval points were folded. */
  points: number;
  sum: number;
  count: number;
  min: number;
  max: number;
  last: number;
}

/**
 * Folds the points of one type (callers filter by name and attributes first).
 *
 * @example
 * aggregatePoints('counter', [{ …, sum: 2 }, { …, sum: 3 }]).sum; // → 5
 */
export function aggregatePoints(type: MetricType, points: readonly CapturedPoint[]): PointAggregate {
  const aggregate: PointAggregate = { type, points: 0, sum: 0, count: 0, min: Number.NaN, max: Number.NaN, last: Number.NaN };
  let lastTime = Number.NEGATIVE_INFINITY;
  for (const point of points) {
    if (point.type !== type) continue;
    aggregate.points++;
    aggregate.sum += finite(point.sum);
    aggregate.count += finite(point.count);
    if (point.type === 'counter') continue;
    if (Number.isFinite(point.min)) aggregate.min = Number.isNaN(aggregate.min) ? point.min : Math.min(aggregate.min, point.min);
    if (Number.isFinite(point.max)) aggregate.max = Number.isNaN(aggregate.max) ? point.max : Math.max(aggregate.max, point.max);
    if (point.type === 'gauge' && finite(point.timeMs) >= lastTime) {
      lastTime = finite(point.timeMs);
      aggregate.last = point.last;
    }
  }
  return aggregate;
}

function finite(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
