import type { Exemplar } from '../../core/metrics/types';
import type { LabelPairs, PrometheusFamily } from './prometheus-families';

/** The two text formats: Prometheus text 0.0.4 and OpenMetrics 1.0.0. */
export type TextFormat = 'text' | 'openmetrics';

/**
 * Writes families in the Prometheus text format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format) or in
 * OpenMetrics 1.0.0 (https://prometheus.io/docs/specs/om/open_metrics_spec/). They differ where
 * the specifications do: OpenMetrics names a counter's family without `_total`, has `# UNIT`,
 * the `info` type, exemplars on counters and buckets (`# {trace_id="…",span_id="…"} value time`),
 * canonical `le` values, no `_sum` for a histogram with negative values, and ends with `# EOF`.
 * Native histograms have no text form before Prometheus 3; they go over protobuf. A generator
 * that pauses after each series, for `runSliced`.
 *
 * @example
 * await runSliced(renderPrometheusText(families, 'openmetrics'));
 * // # TYPE checkout_orders counter
 * // checkout_orders_total{route="/cart"} 3 # {trace_id="4bf9…",span_id="00f0…"} 1 1733222400.123
 * // # EOF
 */
export function* renderPrometheusText(families: readonly PrometheusFamily[], format: TextFormat): Generator<void, string> {
  const open = format === 'openmetrics';
  let lines: string[] = [];
  // Joined a few hundred lines at a time, between pauses: one join of a whole large exposition
  // (tens of thousands of lines, megabytes) would hold the event loop by itself.
  const chunks: string[] = [];
  for (const family of families) {
    if (family.series.length === 0) continue;
    const { name, type } = family;
    const typeName = open ? name : type === 'counter' ? `${name}_total` : type === 'info' ? `${name}_info` : name;
    lines.push(`# HELP ${typeName} ${escapeHelp(family.help)}`);
    lines.push(`# TYPE ${typeName} ${open ? type : type === 'info' ? 'gauge' : type}`);
    if (open && family.unit !== '') lines.push(`# UNIT ${name} ${family.unit}`);
    for (const series of family.series) {
      if (type === 'counter') lines.push(sample(`${name}_total`, series.labels, series.value, open ? series.exemplar : undefined));
      else if (type === 'gauge') lines.push(sample(name, series.labels, series.value));
      else if (type === 'info') lines.push(sample(`${name}_info`, series.labels, 1));
      else if (series.histogram) {
        const { buckets, count, sum, hasNegatives } = series.histogram;
        for (const bucket of buckets) {
          const le = open ? canonical(bucket.le) : number(bucket.le);
          lines.push(sample(`${name}_bucket`, [...series.labels, ['le', le]], bucket.count, open ? bucket.exemplar : undefined));
        }
        if (!(open && hasNegatives)) lines.push(sample(`${name}_sum`, series.labels, sum));
        lines.push(sample(`${name}_count`, series.labels, count));
      }
      if (lines.length >= LINES_PER_CHUNK) {
        chunks.push(`${lines.join('\n')}\n`);
        lines = [];
      }
      yield;
    }
  }
  if (open) lines.push('# EOF');
  if (lines.length > 0) chunks.push(`${lines.join('\n')}\n`);
  return chunks.join('');
}

const LINES_PER_CHUNK = 512;

function sample(name: string, labels: LabelPairs, value: number, exemplar?: Exemplar): string {
  let line = `${name}${labelSet(labels)} ${number(value)}`;
  if (exemplar)
    line += ` # ${labelSet([
      ['trace_id', exemplar.traceId],
      ['span_id', exemplar.spanId],
    ])} ${number(exemplar.value)} ${(exemplar.timestampMs / 1000).toFixed(3)}`;
  return line;
}

function labelSet(labels: LabelPairs): string {
  if (labels.length === 0) return '';
  return `{${labels.map(([name, value]) => `${name}="${escapeLabel(value)}"`).join(',')}}`;
}

/** Go's float formatting as Prometheus parses it: `+Inf`, `-Inf`, `NaN`, else the shortest round-trip form. */
function number(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return Number.isNaN(value) ? 'NaN' : String(value);
}

/** OpenMetrics' canonical numbers for `le`: a float always shows a fraction or an exponent (`1.0`). */
function canonical(value: number): string {
  const text = number(value);
  return /^-?\d+$/.test(text) ? `${text}.0` : text;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
