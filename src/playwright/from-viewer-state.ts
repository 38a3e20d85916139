import type { Attributes } from '../core/internal/attributes';
import type { Exemplar, MetricUnit } from '../core/metrics/types';
import type { SpanData, SpanStatus } from '../core/trace/span-data';
import type { CapturedPoint, TelemetrySnapshot } from './telemetry-snapshot';

/**
 * What to read of a viewer's state: one side (`browser`: browser SDKs; `server`: everything else;
 * `all`) and, optionally, one service.
 *
 * @example
 * const selection: ViewerSelection = { origin: 'server', service: 'checkout-api' };
 */
export interface ViewerSelection {
  origin?: 'server' | 'browser' | 'all';
  service?: string;
}

interface ViewerSeries {
  origin: string;
  service: string;
  type: CapturedPoint['type'];
  name: string;
  unit: MetricUnit;
  attributes: Attributes;
  points?: Array<Record<string, unknown> & { exemplars?: Exemplar[] }>;
}

interface ViewerSpan extends Omit<SpanData, 'traceId' | 'parentSpanId'> {
  origin: string;
  service: string;
  parentSpanId: string | null;
}

/**
 * Turns a viewer's `GET /api/state` (full view) into `{ points, spans }`: one point per stored
 * point of every selected series, one span per stored span. The viewer keeps no histogram
 * buckets per point (only count, sum, min and max, which is what the matchers read) and no gauge
 * sum (`NaN` here).
 *
 * @example
 * fromViewerState(await (await fetch('http://127.0.0.1:8976/api/state')).json(), { origin: 'server' }).spans;
 */
export function fromViewerState(state: unknown, { origin = 'server', service }: ViewerSelection = {}): TelemetrySnapshot {
  const body = state as { series?: unknown; traces?: unknown } | null;
  if (typeof body !== 'object' || body === null || !Array.isArray(body.series) || !Array.isArray(body.traces)) {
    throw new Error(`expected an isometer dev viewer's state ({ series: [...], traces: [...] }), got ${JSON.stringify(state)?.slice(0, 200)}`);
  }
  const wanted = (item: { origin?: unknown; service?: unknown }) => (origin === 'all' || item?.origin === origin) && (service === undefined || item?.service === service);
  const points: CapturedPoint[] = [];
  for (const series of body.series as ViewerSeries[]) {
    if (!wanted(series) || !Array.isArray(series.points)) continue;
    for (const stored of series.points) points.push(pointOf(series, stored));
  }
  const spans: SpanData[] = [];
  for (const trace of body.traces as Array<{ traceId: string; spans?: ViewerSpan[] }>) {
    for (const span of trace?.spans ?? []) {
      if (!wanted(span)) continue;
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
        // Senders export only sampled spans unless they say otherwise (OTLP flags, isometer's own).
        sampled: span.sampled !== false,
        sampleRate: span.sampleRate ?? undefined,
      });
    }
  }
  return { points, spans };
}

function pointOf(series: ViewerSeries, stored: Record<string, unknown> & { exemplars?: Exemplar[] }): CapturedPoint {
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
