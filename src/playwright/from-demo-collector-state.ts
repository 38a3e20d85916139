import type { Attributes } from '../core/internal/attributes';
import type { Exemplar, MetricUnit } from '../core/metrics/types';
import type { SpanData, SpanStatus } from '../core/trace/span-data';
import type { CapturedPoint, TelemetrySnapshot } from './telemetry-snapshot';

/** Which side's data of the isometer demo collector to read: it holds the page's and the server's. */
export type DemoCollectorOrigin = 'server' | 'browser' | 'all';

interface DemoSeries {
  origin: string;
  type: CapturedPoint['type'];
  name: string;
  unit: MetricUnit;
  attributes: Attributes;
  points?: Array<Record<string, unknown> & { exemplars?: Exemplar[] }>;
}

interface DemoSpan extends Omit<SpanData, 'traceId' | 'parentSpanId'> {
  origin: string;
  parentSpanId: string | null;
}

/**
 * Turns the isometer demo collector's `GET /api/collector/state` (full view) into
 * `{ points, spans }`: one point per stored interval of every series, one span per stored span,
 * of the given origin. The demo keeps no histogram buckets per point (only count, sum, min and
 * max, which is what the matchers read) and no gauge sum (`NaN` here).
 *
 * @example
 * fromDemoCollectorState(await (await fetch(`${base}/api/collector/state`)).json(), 'server').spans;
 */
export function fromDemoCollectorState(state: unknown, origin: DemoCollectorOrigin = 'server'): TelemetrySnapshot {
  const body = state as { series?: unknown; traces?: unknown } | null;
  if (typeof body !== 'object' || body === null || !Array.isArray(body.series) || !Array.isArray(body.traces)) {
    throw new Error(`expected the demo collector's state ({ series: [...], traces: [...] }), got ${JSON.stringify(state)?.slice(0, 200)}`);
  }
  const wanted = (from: unknown) => origin === 'all' || from === origin;
  const points: CapturedPoint[] = [];
  for (const series of body.series as DemoSeries[]) {
    if (!wanted(series?.origin) || !Array.isArray(series.points)) continue;
    for (const stored of series.points) points.push(pointOf(series, stored));
  }
  const spans: SpanData[] = [];
  for (const trace of body.traces as Array<{ traceId: string; spans?: DemoSpan[] }>) {
    for (const span of trace?.spans ?? []) {
      if (!wanted(span.origin)) continue;
      spans.push({
        traceId: trace.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId ?? undefined,
        name: span.name,
        op: span.op ?? undefined,
        startTimeMs: span.startTimeMs,
        endTimeMs: span.endTimeMs,
        status: span.status as SpanStatus,
        statusMessage: span.statusMessage ?? undefined,
        attributes: span.attributes ?? {},
        // The demo marks OTLP spans (the page's) sampled: only sampled spans are exported.
        sampled: span.sampled !== false,
        sampleRate: span.sampleRate ?? undefined,
      });
    }
  }
  return { points, spans };
}

function pointOf(series: DemoSeries, stored: Record<string, unknown> & { exemplars?: Exemplar[] }): CapturedPoint {
  const number = (key: string): number => (typeof stored[key] === 'number' ? (stored[key] as number) : Number.NaN);
  const base = {
    name: series.name,
    unit: series.unit ?? '',
    attributes: series.attributes ?? {},
    startTimeMs: number('startTimeMs'),
    timeMs: number('timeMs'),
    exemplars: Array.isArray(stored.exemplars) ? stored.exemplars : [],
  };
  switch (series.type) {
    case 'counter':
      return { ...base, type: 'counter', sum: number('sum'), count: number('count') };
    case 'gauge':
      return { ...base, type: 'gauge', last: number('last'), min: number('min'), max: number('max'), sum: Number.NaN, count: number('count') };
    default:
      return { ...base, type: 'distribution', count: number('count'), sum: number('sum'), min: number('min'), max: number('max') };
  }
}
