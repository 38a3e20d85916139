import { canonicalAttributesKey } from '../core/internal/attributes';
import type { MetricType } from '../core/metrics/types';
import { aggregatePoints, type PointAggregate } from './aggregate-points';
import type { CapturedPoint } from './telemetry-snapshot';

/** Lines shown before "… and N more", so a failure message stays readable. */
const MAX_LINES = 15;

/**
 * What was captured, for a failure message: every series of `name` (of `type`) with its folded
 * figures, or, when there is none, the names that were captured instead.
 *
 * @example
 * describePoints(snapshot.points, 'counter', 'cart.add');
 * // → 'counter "cart.add" {"plan":"pro"}: sum 2 over 2 points'
 */
export function describePoints(points: readonly CapturedPoint[], type: MetricType, name: string): string {
  const ofName = points.filter((point) => point.type === type && point.name === name);
  if (ofName.length === 0) {
    if (points.length === 0) return 'nothing was captured (no metric points at all)';
    const names = [...new Set(points.filter((point) => point.type === type).map((point) => point.name))].sort();
    const others = [...new Set(points.filter((point) => point.type !== type && point.name === name).map((point) => point.type))];
    const sameName = others.length > 0 ? `; "${name}" was captured as a ${others.join(' and a ')}` : '';
    return names.length === 0
      ? `no ${type} was captured${sameName} (${points.length} points of other types)`
      : `no ${type} "${name}" was captured${sameName}; ${type}s captured: ${limited(
          names.map((n) => `"${n}"`),
          ', ',
        )}`;
  }
  const series = new Map<string, { attributes: CapturedPoint['attributes']; points: CapturedPoint[] }>();
  for (const point of ofName) {
    const key = canonicalAttributesKey(sortedAttributes(point.attributes));
    const entry = series.get(key) ?? { attributes: sortedAttributes(point.attributes), points: [] };
    entry.points.push(point);
    series.set(key, entry);
  }
  const lines = [...series.values()].map((entry) => `${type} "${name}" ${JSON.stringify(entry.attributes)}: ${describeAggregate(aggregatePoints(type, entry.points))}`);
  return limited(lines, '\n');
}

/** One aggregate in words: `sum 2 over 2 points`, `last 5 (min 1, max 9)`, `count 3, min 1, max 9, sum 12`. */
export function describeAggregate(aggregate: PointAggregate): string {
  const over = `over ${aggregate.points} point${aggregate.points === 1 ? '' : 's'}`;
  switch (aggregate.type) {
    case 'counter':
      return `sum ${aggregate.sum} ${over}`;
    case 'gauge':
      return `last ${aggregate.last} (min ${aggregate.min}, max ${aggregate.max}) ${over}`;
    default:
      return `count ${aggregate.count}, min ${aggregate.min}, max ${aggregate.max}, sum ${aggregate.sum} ${over}`;
  }
}

/** ` with attributes {…}` for an expectation's filter, or nothing. */
export function withAttributes(attributes: CapturedPoint['attributes'] | undefined): string {
  return attributes === undefined || Object.keys(attributes).length === 0 ? '' : ` with attributes ${JSON.stringify(attributes)}`;
}

function sortedAttributes(attributes: CapturedPoint['attributes'] | undefined): CapturedPoint['attributes'] {
  const sorted: CapturedPoint['attributes'] = {};
  for (const key of Object.keys(attributes ?? {}).sort()) sorted[key] = attributes![key];
  return sorted;
}

function limited(items: string[], separator: string): string {
  if (items.length <= MAX_LINES) return items.join(separator);
  return `${items.slice(0, MAX_LINES).join(separator)}${separator}… and ${items.length - MAX_LINES} more`;
}
