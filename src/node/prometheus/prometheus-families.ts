import { debugLogger } from '../../core/internal/debug-logger';
import type { Resource } from '../../core/export/exporter';
import type { Exemplar, MetricPoint } from '../../core/metrics/types';
import { classicBuckets } from './classic-buckets';
import { nativeHistogram, type NativeHistogram } from './native-histogram';
import { prometheusLabels, type LabelPairs } from './prometheus-labels';
import { prometheusName, type PrometheusName } from './prometheus-name';

export type { LabelPairs } from './prometheus-labels';

/** A distribution, cumulative, ready for any exposition format. */
export interface PrometheusHistogram {
  count: number;
  sum: number;
  /** OpenMetrics leaves the sum out when a value was negative (it would not be a counter). */
  hasNegatives: boolean;
  buckets: Array<{ le: number; count: number; exemplar?: Exemplar }>;
  native: NativeHistogram;
}

export interface PrometheusSeries {
  labels: LabelPairs;
  /** A counter's total or a gauge's last value (an info's 1). */
  value: number;
  exemplar?: Exemplar;
  histogram?: PrometheusHistogram;
}

export interface PrometheusFamily {
  /** The OpenMetrics family name (a counter's without `_total`). */
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'info';
  unit: string;
  help: string;
  series: PrometheusSeries[];
}

/**
 * Cumulative points as Prometheus metric families, in a format-neutral shape the text,
 * OpenMetrics and protobuf writers share, plus `target_info` for the resource (OpenTelemetry's
 * resource-to-Prometheus rule). A family whose name another type already took, and a series
 * whose labels repeat one already in its family (two attributes sanitised alike), are left out
 * with a warning: Prometheus refuses a whole scrape that holds either. A generator that pauses
 * after each point, for `runSliced`.
 *
 * @example
 * await runSliced(prometheusFamilies(store.collect(), resource)); // → [{ name: 'checkout_orders', type: 'counter', series: [{ labels: [['route', '/cart']], value: 3 }] }, …]
 */
export function* prometheusFamilies(points: readonly MetricPoint[], resource: Resource | undefined): Generator<void, PrometheusFamily[]> {
  const families = new Map<string, PrometheusFamily & { seen: Set<string> }>();
  const info = targetInfo(resource);
  if (info) families.set(info.name, { ...info, seen: new Set() });
  for (const point of points) {
    yield;
    const { family: name, unit } = cachedName(point);
    const type = point.type === 'distribution' ? 'histogram' : point.type;
    let family = families.get(name);
    if (family === undefined) {
      family = { name, type, unit, help: `${point.name}${point.unit ? ` (${point.unit})` : ''}`, series: [], seen: new Set() };
      families.set(name, family);
    } else if (family.type !== type) {
      debugLogger.warnOnce(
        `prometheus:type:${name}`,
        `prometheus: "${point.name}" (${point.type}) maps to the Prometheus name ${name}, which a ${family.type} already has; it is not exposed. Rename one of them.`,
      );
      continue;
    }
    const labels = prometheusLabels(point.attributes, type === 'histogram' ? 'le' : undefined);
    const key = labels.map(([label, value]) => `${label}\u0000${value}`).join('\u0001');
    if (family.seen.has(key)) {
      debugLogger.warnOnce(`prometheus:duplicate:${name}`, `prometheus: two series of ${name} have the same labels once sanitised; only the first is exposed.`);
      continue;
    }
    family.seen.add(key);
    family.series.push(toSeries(point, labels));
  }
  return [...families.values()].map(({ seen: _seen, ...family }) => family);
}

// Names repeat across series: translate each (name, type, unit) once. Bounded, since names come and go.
const NAMES = new Map<string, PrometheusName>();
const MAX_CACHED_NAMES = 10_000;

function cachedName(point: MetricPoint): PrometheusName {
  const key = `${point.type}\u0000${point.unit}\u0000${point.name}`;
  let name = NAMES.get(key);
  if (name === undefined) {
    if (NAMES.size >= MAX_CACHED_NAMES) NAMES.clear();
    name = prometheusName(point.name, point.type, point.unit);
    NAMES.set(key, name);
  }
  return name;
}

function toSeries(point: MetricPoint, labels: LabelPairs): PrometheusSeries {
  if (point.type === 'counter') return { labels, value: point.sum, exemplar: latestExemplar(point.exemplars) };
  if (point.type === 'gauge') return { labels, value: point.last };
  const data = point.histogram;
  const buckets: PrometheusHistogram['buckets'] = classicBuckets(data);
  // One exemplar per bucket: the latest whose value falls in it, sampled traces first.
  for (const exemplar of preferred(point.exemplars)) {
    const bucket = buckets.find((candidate) => exemplar.value <= candidate.le);
    if (bucket !== undefined && bucket.exemplar === undefined) bucket.exemplar = exemplar;
  }
  const histogram: PrometheusHistogram = { count: point.count, sum: point.sum, hasNegatives: point.min < 0, buckets, native: nativeHistogram(data) };
  return { labels, value: point.count, histogram };
}

/** Sampled traces first (their trace can be opened), newest first. */
function preferred(exemplars: readonly Exemplar[]): Exemplar[] {
  return [...exemplars].sort((a, b) => Number(b.sampled === true) - Number(a.sampled === true) || b.timestampMs - a.timestampMs);
}

function latestExemplar(exemplars: readonly Exemplar[]): Exemplar | undefined {
  return exemplars.length === 0 ? undefined : preferred(exemplars)[0];
}

/** https://opentelemetry.io/docs/specs/otel/compatibility/prometheus_and_openmetrics/#resource-attributes-1 */
function targetInfo(resource: Resource | undefined): PrometheusFamily | undefined {
  if (!resource) return undefined;
  const attributes: Record<string, string> = {};
  if (resource.serviceName) attributes['service.name'] = resource.serviceName;
  if (resource.release) attributes['service.version'] = resource.release;
  if (resource.environment) attributes['deployment.environment'] = resource.environment;
  if (resource.sdk) {
    attributes['telemetry.sdk.name'] = resource.sdk.name;
    attributes['telemetry.sdk.version'] = resource.sdk.version;
  }
  if (Object.keys(attributes).length === 0) return undefined;
  return { name: 'target', type: 'info', unit: '', help: 'Target metadata', series: [{ labels: prometheusLabels(attributes), value: 1 }] };
}
