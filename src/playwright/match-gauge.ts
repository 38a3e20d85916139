import type { Attributes } from '../core/internal/attributes';
import { aggregatePoints } from './aggregate-points';
import { includesAttributes } from './attributes-match';
import { describePoints, withAttributes } from './describe-points';
import type { MatchResult } from './match-result';
import { describeNumberMatch, matchesNumber, type NumberMatch } from './number-match';
import type { TelemetrySnapshot } from './telemetry-snapshot';

/**
 * What `toHaveGauge` checks; without `value`, that the gauge was recorded at all.
 *
 * @example
 * await expect(metrics).toHaveGauge('cart.size', { value: 3 });
 */
export interface GaugeExpectation {
  /** The last value: of the latest captured point among the series carrying `attributes`. */
  value?: NumberMatch;
  /** Attributes the series must have (others may be present too). */
  attributes?: Attributes;
}

/**
 * Checks a gauge: its latest value (the `last` of the newest captured interval) matches `value`.
 *
 * @example
 * matchGauge(snapshot, 'cart.size', { value: 3 }).pass;
 */
export function matchGauge(snapshot: TelemetrySnapshot, name: string, expected: GaugeExpectation = {}): MatchResult {
  const points = snapshot.points.filter((point) => point.type === 'gauge' && point.name === name && includesAttributes(point.attributes, expected.attributes));
  const aggregate = aggregatePoints('gauge', points);
  const pass = points.length > 0 && matchesNumber(expected.value, aggregate.last);
  const wanted = `gauge "${name}"${withAttributes(expected.attributes)}${expected.value === undefined ? '' : ` with last value ${describeNumberMatch(expected.value)}`}`;
  const found = points.length > 0 ? `the latest matching value is ${aggregate.last}\n` : '';
  return { pass, expected: wanted, actual: found + describePoints(snapshot.points, 'gauge', name) };
}
