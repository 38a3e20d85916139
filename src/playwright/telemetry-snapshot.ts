import type { CounterPoint, DistributionPoint, GaugePoint, Resource } from '../core/index';
import type { SpanData } from '../core/trace/span-data';

/**
 * A metric point as the matchers read it: isometer's `MetricPoint`, except that a distribution
 * may come without its `histogram` (a server collector that keeps only count, sum, min and max
 * still fits). Every `MetricPoint` is a `CapturedPoint`.
 */
export type CapturedPoint = CounterPoint | GaugePoint | (Omit<DistributionPoint, 'histogram'> & { histogram?: DistributionPoint['histogram'] });

/**
 * What one side recorded: the JSON shape `{ points, spans }` that the fixture captures from pages
 * and that a server collector serves for `serverCollector(url)`. Points are per-interval delta
 * aggregates exactly as exporters receive them (a counter recorded over three flushes is three
 * points); spans are finished, sampled spans. Extra fields are ignored.
 *
 * @example
 * // What a server might answer on GET /telemetry:
 * const body: TelemetrySnapshot = {
 *   points: [{ type: 'counter', name: 'orders.created', unit: '', attributes: { plan: 'pro' }, sum: 2, count: 2, startTimeMs: 0, timeMs: 2000, exemplars: [] }],
 *   spans: [],
 * };
 */
export interface TelemetrySnapshot {
  points: CapturedPoint[];
  spans: SpanData[];
}

/** One flush interval captured from a page, with where it came from. */
export interface CapturedBatch {
  /** The URL of the page (or frame) whose client flushed it. */
  url: string;
  resource: Resource;
  startTimeMs: number;
  endTimeMs: number;
  points: CapturedPoint[];
}
