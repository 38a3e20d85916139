import type { CounterPoint, GaugePoint } from '../../core/metrics/types';
import { datadogUnit } from './datadog-unit';

/** Metric intake types of the v2 series API (`MetricIntakeType`). */
const COUNT = 1;
const GAUGE = 3;

/**
 * One counter or gauge as a v2 series object (https://docs.datadoghq.com/api/latest/metrics/#submit-metrics),
 * JSON-encoded. A counter is a `count` (type 1) whose one point is the interval's sum, with the
 * interval in seconds, so Datadog adds intervals up exactly and can show it as a rate; a gauge is
 * a `gauge` (type 3) with the interval's last value. The point's timestamp is the interval's end,
 * in whole seconds. `undefined` when the value is not finite (JSON has no Infinity).
 *
 * @example
 * datadogSeries(point, 'checkout.orders', ['route:/cart'], 'web-1');
 * // → '{"metric":"checkout.orders","type":1,"interval":10,"points":[{"timestamp":1733222400,"value":3}],"tags":["route:/cart"],"resources":[{"name":"web-1","type":"host"}]}'
 */
export function datadogSeries(point: CounterPoint | GaugePoint, metric: string, tags: string[], host: string): string | undefined {
  const value = point.type === 'counter' ? point.sum : point.last;
  if (!Number.isFinite(value)) return undefined;
  const series: Record<string, unknown> = {
    metric,
    type: point.type === 'counter' ? COUNT : GAUGE,
  };
  // "If the type of the metric is rate or count, define the corresponding interval."
  if (point.type === 'counter') series.interval = Math.max(1, Math.round((point.timeMs - point.startTimeMs) / 1000));
  series.points = [{ timestamp: Math.floor(point.timeMs / 1000), value }];
  if (tags.length > 0) series.tags = tags;
  const unit = datadogUnit(point.unit);
  if (unit !== undefined) series.unit = unit;
  if (host !== '') series.resources = [{ name: host, type: 'host' }];
  return JSON.stringify(series);
}
