import type { Attributes } from '../internal/attributes';
import { histogramValues } from '../metrics/histogram-values';
import type { DistributionPoint } from '../metrics/types';
import type { MetricBatch } from '../export/exporter';

/** A Sentry attribute as `trace_metric` items carry it. */
export interface SentryTypedAttribute {
  value: string | number | boolean;
  type: 'string' | 'integer' | 'double' | 'boolean';
}

/** One `trace_metric` item (Sentry's metric item, envelope item type `trace_metric`, payload version 2). */
export interface SentryMetricItem {
  timestamp: number;
  trace_id: string;
  span_id?: string;
  name: string;
  type: 'counter' | 'gauge' | 'distribution';
  unit?: string;
  value: number;
  attributes: Record<string, SentryTypedAttribute>;
}

/** How many points one distribution series may send per interval. */
export const DEFAULT_MAX_DISTRIBUTION_POINTS = 20;
/** The attribute Sentry reads as a point's client-side sample rate: each point stands for 1/rate values. */
export const SENTRY_CLIENT_SAMPLE_RATE = 'sentry.client_sample_rate';

export interface SentryItemOptions {
  maxDistributionPointsPerSeries?: number;
  /** The trace id for points recorded outside any span (Sentry's current propagation context). */
  fallbackTraceId?: string;
  release?: string;
  environment?: string;
}

/**
 * Turns one interval's aggregates into `trace_metric` items:
 * - a counter series → one point, its interval sum;
 * - a gauge series → one point, its last value;
 * - a distribution series → at most `maxDistributionPointsPerSeries` points: the exact min and
 *   max, and the histogram's buckets between them (merged pairwise until few enough), each sent
 *   once at its representative value with `sentry.client_sample_rate = 1 / (values it stands
 *   for)`, so counts extrapolate exactly and percentiles keep the histogram's accuracy, in bounded
 *   bytes however many values were recorded.
 * Each point carries the trace and span id of its first exemplar (sampled traces first).
 * `owners`, when given, is filled with the index of the point each item came from.
 *
 * @example
 * toSentryMetricItems(batch, { release: '1.2.0' }); // → [{ name: 'cart.add', type: 'counter', value: 12, … }]
 */
export function toSentryMetricItems(batch: MetricBatch, options: SentryItemOptions = {}, owners?: number[]): SentryMetricItem[] {
  const maxPoints = Math.max(1, options.maxDistributionPointsPerSeries ?? DEFAULT_MAX_DISTRIBUTION_POINTS);
  const timestamp = batch.endTimeMs / 1000;
  const common: Attributes = {};
  if (options.release ?? batch.resource.release) common['sentry.release'] = (options.release ?? batch.resource.release) as string;
  if (options.environment ?? batch.resource.environment) common['sentry.environment'] = (options.environment ?? batch.resource.environment) as string;
  common['sentry.sdk.name'] = batch.resource.sdk.name;
  common['sentry.sdk.version'] = batch.resource.sdk.version;
  const items: SentryMetricItem[] = [];
  for (let index = 0; index < batch.points.length; index++) {
    const point = batch.points[index];
    const before = items.length;
    const exemplar = point.exemplars.find((candidate) => candidate.sampled === true) ?? point.exemplars[0];
    const base = {
      timestamp,
      trace_id: exemplar?.traceId ?? options.fallbackTraceId ?? '',
      ...(exemplar ? { span_id: exemplar.spanId } : {}),
      name: point.name,
      ...(point.unit ? { unit: point.unit } : {}),
    };
    const attributes = typedAttributes({ ...common, ...point.attributes });
    if (point.type === 'counter') items.push({ ...base, type: 'counter', value: point.sum, attributes });
    else if (point.type === 'gauge') items.push({ ...base, type: 'gauge', value: point.last, attributes });
    else {
      for (const [value, weight] of weightedValues(point, maxPoints)) {
        // A trace-sampled series' values each stand for 1/sampleRate recorded ones as well.
        const represented = weight / (point.sampleRate ?? 1);
        items.push({ ...base, type: 'distribution', value, attributes: represented === 1 ? attributes : { ...attributes, [SENTRY_CLIENT_SAMPLE_RATE]: { value: 1 / represented, type: 'double' } } });
      }
    }
    if (owners) for (let i = before; i < items.length; i++) owners.push(index);
  }
  return items;
}

/**
 * A distribution as at most `maxPoints` (value, weight) pairs whose weights sum to its count:
 * the histogram's weighted values (exact min and max at the ends), with neighbouring interior
 * values merged pairwise (weighted mean) until few enough.
 */
export function weightedValues(point: DistributionPoint, maxPoints: number): Array<[number, number]> {
  let values = histogramValues(point).map(({ value, count }): [number, number] => [value, count]);
  while (values.length > Math.max(3, maxPoints)) {
    const interior = values.slice(1, -1);
    const merged: Array<[number, number]> = [];
    for (let i = 0; i < interior.length; i += 2) {
      const [a, b] = [interior[i], interior[i + 1]];
      merged.push(b ? [(a[0] * a[1] + b[0] * b[1]) / (a[1] + b[1]), a[1] + b[1]] : a);
    }
    values = [values[0], ...merged, values[values.length - 1]];
  }
  return values;
}

function typedAttributes(attributes: Attributes): Record<string, SentryTypedAttribute> {
  const typed: Record<string, SentryTypedAttribute> = {};
  for (const key in attributes) {
    const value = attributes[key];
    typed[key] = { value, type: typeof value === 'string' ? 'string' : typeof value === 'boolean' ? 'boolean' : Number.isInteger(value) ? 'integer' : 'double' };
  }
  return typed;
}
