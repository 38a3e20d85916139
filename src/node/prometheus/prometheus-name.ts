import type { MetricType } from '../../core/metrics/types';
import { prometheusUnit } from './prometheus-unit';

/** A metric's Prometheus names: the family (OpenMetrics `# TYPE` name) and its unit word. */
export interface PrometheusName {
  /** The family name: for a counter without `_total`, which the samples add. */
  family: string;
  /** The unit word the name ends with, for OpenMetrics `# UNIT`; `''` for none. */
  unit: string;
}

/**
 * The OTLP → Prometheus name translation (OpenTelemetry, "Prometheus and OpenMetrics
 * Compatibility", metric points): characters outside `[a-zA-Z0-9_:]` become `_` and runs of `_`
 * collapse; the unit word is appended unless the name already ends with it; a gauge with unit `1`
 * ends in `_ratio`; counters get `_total` on their samples (a trailing `_total` in the name is
 * taken off the family so it is not doubled). A name that would start with a digit gets a `_`.
 *
 * @example
 * prometheusName('http.server.request.duration', 'distribution', 'second'); // → { family: 'http_server_request_duration_seconds', unit: 'seconds' }
 * prometheusName('checkout.orders', 'counter', '');                        // → { family: 'checkout_orders', unit: '' } (samples: checkout_orders_total)
 */
export function prometheusName(name: string, type: MetricType, unit: string): PrometheusName {
  let family = sanitize(name);
  if (type === 'counter') family = family.replace(/_total$/, '');
  let word = prometheusUnit(unit);
  if (word === 'ratio' && type !== 'gauge') word = '';
  if (word !== '' && family !== word && !family.endsWith(`_${word}`)) family = family === '' ? word : `${family}_${word}`;
  if (family === '') family = '_';
  if (/^[0-9]/.test(family)) family = `_${family}`;
  return { family, unit: word };
}

function sanitize(name: string): string {
  return name
    .replace(/[^a-zA-Z0-9_:]/g, '_')
    .replace(/__+/g, '_')
    .replace(/^_+|_+$/g, '');
}
