import type { Attributes } from '../core/internal/attributes';
import { aggregatePoints } from './aggregate-points';
import { includesAttributes } from './attributes-match';
import { describeAggregate, describePoints, withAttributes } from './describe-points';
import type { MatchResult } from './match-result';
import { describeNumberMatch, matchesNumber, type NumberMatch } from './number-match';
import type { TelemetrySnapshot } from './telemetry-snapshot';

/**
 * What `toHaveDistribution` checks, over every captured interval of every series carrying
 * `attributes`; without figures, that the distribution was recorded at all.
 *
 * @example
 * await expect(metrics).toHaveDistribution('ui.render_time', { count: 1, max: (ms) => ms < 500 });
 */
export interface DistributionExpectation {
  /** How many values were recorded. */
  count?: NumberMatch;
  /** The smallest value recorded. */
  min?: NumberMatch;
  /** The largest value recorded. */
  max?: NumberMatch;
  /** The sum of the values recorded. */
  sum?: NumberMatch;
  /** Attributes the series must have (others may be present too). */
  attributes?: Attributes;
}

const FIELDS = ['count', 'min', 'max', 'sum'] as const;

/**
 * Checks a distribution: counts and sums add up across intervals, `min`/`max` span them.
 *
 * @example
 * matchDistribution(snapshot, 'ui.render_time', { count: 2, max: (ms) => ms < 500 }).pass;
 */
export function matchDistribution(snapshot: TelemetrySnapshot, name: string, expected: DistributionExpectation = {}): MatchResult {
  const points = snapshot.points.filter((point) => point.type === 'distribution' && point.name === name && includesAttributes(point.attributes, expected.attributes));
  const aggregate = aggregatePoints('distribution', points);
  const pass = points.length > 0 && FIELDS.every((field) => matchesNumber(expected[field], aggregate[field]));
  const figures = FIELDS.filter((field) => expected[field] !== undefined).map((field) => `${field} ${describeNumberMatch(expected[field]!)}`);
  const wanted = `distribution "${name}"${withAttributes(expected.attributes)}${figures.length ? ` with ${figures.join(', ')}` : ''}`;
  const found = points.length > 0 ? `matching points fold to ${describeAggregate(aggregate)}\n` : '';
  return { pass, expected: wanted, actual: found + describePoints(snapshot.points, 'distribution', name) };
}
