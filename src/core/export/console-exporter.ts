import type { Attributes } from '../internal/attributes';
import { hostConsole } from '../internal/runtime-globals';
import { ExponentialHistogram } from '../metrics/exponential-histogram';
import type { MetricPoint } from '../metrics/types';
import type { SpanData } from '../trace/span-data';
import type { Exporter, MetricBatch, SpanBatch } from './exporter';

export interface ConsoleExporterOptions {
  /** Where lines go. Default: `console.log`. */
  write?: (line: string) => void;
}

/**
 * Prints each interval's aggregates as a table and each trace as an indented span tree, for
 * debugging. `ISOMETER_CONSOLE=1` turns it on in Node without code.
 *
 * @example
 * init({ exporters: [consoleExporter()] });
 */
export function consoleExporter(options: ConsoleExporterOptions = {}): Exporter {
  const write =
    typeof options.write === 'function'
      ? options.write
      : (line: string) => {
          hostConsole()?.log(line);
        };
  return {
    name: 'console',
    exportMetrics(batch: MetricBatch) {
      const seconds = ((batch.endTimeMs - batch.startTimeMs) / 1000).toFixed(1);
      write(`[isometer] metrics · ${batch.points.length} series · ${seconds} s ending ${new Date(batch.endTimeMs).toISOString()}`);
      for (const point of batch.points) write(`  ${point.type.padEnd(12)} ${label(point).padEnd(48)} ${summary(point)}`);
    },
    exportSpans(batch: SpanBatch) {
      for (const line of spanTreeLines(batch.spans)) write(line);
    },
  };
}

function label(point: MetricPoint): string {
  const unit = point.unit ? ` [${point.unit}]` : '';
  return `${point.name}${formatAttributes(point.attributes)}${unit}`;
}

function formatAttributes(attributes: Attributes): string {
  const entries = Object.keys(attributes).map((key) => `${key}=${String(attributes[key])}`);
  return entries.length ? `{${entries.join(',')}}` : '';
}

function summary(point: MetricPoint): string {
  switch (point.type) {
    case 'counter':
      return `sum=${round(point.sum)} (${point.count} adds)`;
    case 'gauge':
      return `last=${round(point.last)} min=${round(point.min)} max=${round(point.max)} count=${point.count}`;
    case 'distribution': {
      const histogram = ExponentialHistogram.fromData(point.histogram);
      const percentiles = [0.5, 0.9, 0.99].map((q) => `p${q * 100}=${round(histogram.quantile(q))}`).join(' ');
      return `count=${point.count} min=${round(point.min)} ${percentiles} max=${round(point.max)}`;
    }
  }
}

/** Spans grouped by trace, children indented under their parents, in start order. */
function spanTreeLines(spans: SpanData[]): string[] {
  const lines: string[] = [];
  const byTrace = new Map<string, SpanData[]>();
  for (const span of spans) {
    const list = byTrace.get(span.traceId);
    if (list) list.push(span);
    else byTrace.set(span.traceId, [span]);
  }
  for (const [traceId, traceSpans] of byTrace) {
    traceSpans.sort((a, b) => a.startTimeMs - b.startTimeMs);
    const ids = new Set(traceSpans.map((span) => span.spanId));
    const children = new Map<string | undefined, SpanData[]>();
    for (const span of traceSpans) {
      const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
      const list = children.get(parent);
      if (list) list.push(span);
      else children.set(parent, [span]);
    }
    const origin = traceSpans[0].startTimeMs;
    lines.push(`[isometer] trace ${traceId} · ${traceSpans[0].sampled ? 'sampled' : 'not sampled'}`);
    const visit = (parent: string | undefined, depth: number): void => {
      for (const span of children.get(parent) ?? []) {
        const op = span.op ? `${span.op} ` : '';
        const status = span.status === 'error' ? ' ✗' : '';
        lines.push(`${'  '.repeat(depth + 1)}${op}${span.name} +${round(span.startTimeMs - origin)}ms ${round(span.endTimeMs - span.startTimeMs)}ms${status}${formatAttributes(span.attributes)}`);
        visit(span.spanId, depth + 1);
      }
    };
    visit(undefined, 0);
  }
  return lines;
}

function round(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : Number(value.toPrecision(3)).toString();
}
