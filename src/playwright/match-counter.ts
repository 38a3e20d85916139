import type { Attributes } from '../core/internal/attributes';
import { aggregatePoints } from './aggregate-points';
import { includesAttributes } from './attributes-match';
import { describePoints, withAttributes } from './describe-points';
import type { MatchResult } from './match-result';
import { describeNumberMatch, matchesNumber, type NumberMatch } from './number-match';
import type { TelemetrySnapshot } from './telemetry-snapshot';

/**
 * What `toHaveCounter` checks; without `value`, that the counter was recorded at all.
 *
 * @example
 * await expect(metrics).toHaveCounter('cart.add', { value: 2, attributes: { plan: 'pro' } });
 */
export interface CounterExpectation {
  /** The sum over every captured interval of every series whose attributes include `attributes`. */
  value?: NumberMatch;
  /** Attributes the series must have (others may be present too). */
  attributes?: Attributes;
}

/**
 * Checks a counter: its points (all intervals, all series carrying `attributes`) exist and their
 * sum matches `value`.
 *
 * @example
 * matchCounter(snapshot, 'cart.add', { value: 2, attributes: { plan: 'pro' } }).pass;
 */
export function matchCounter(snapshot: TelemetrySnapshot, name: string, expected: CounterExpectation = {}): MatchResult {
  const points = snapshot.points.filter((point) => point.type === 'counter' && point.name === name && includesAttributes(point.attributes, expected.attributes));
  const aggregate = aggregatePoints('counter', points);
  const pass = points.length > 0 && matchesNumber(expected.value, aggregate.sum);
  const wanted = `counter "${name}"${withAttributes(expected.attributes)}${expected.value === undefined ? '' : ` summing to ${describeNumberMatch(expected.value)}`}`;
  const found = points.length > 0 ? `matching points sum to ${aggregate.sum} (${aggregate.points} point${aggregate.points === 1 ? '' : 's'})\n` : '';
  return { pass, expected: wanted, actual: found + describePoints(snapshot.points, 'counter', name) };
}
