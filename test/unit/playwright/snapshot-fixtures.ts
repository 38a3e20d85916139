import type { Exemplar } from '../../../src/core/metrics/types';
import type { SpanData } from '../../../src/core/trace/span-data';
import type { CapturedPoint, TelemetrySnapshot } from '../../../src/playwright/telemetry-snapshot';

/** Small builders for the matcher tests: points and spans with only the fields that matter set. */
const base = { unit: '', startTimeMs: 0, timeMs: 1000 };

export function counter(name: string, sum: number, attributes: CapturedPoint['attributes'] = {}, extra: Partial<CapturedPoint> = {}): CapturedPoint {
  return { ...base, type: 'counter', name, attributes, sum, count: 1, exemplars: [], ...extra } as CapturedPoint;
}

export function gauge(name: string, last: number, timeMs: number, attributes: CapturedPoint['attributes'] = {}): CapturedPoint {
  return { ...base, timeMs, type: 'gauge', name, attributes, last, min: last, max: last, sum: last, count: 1, exemplars: [] };
}

export function distribution(name: string, values: number[], attributes: CapturedPoint['attributes'] = {}, exemplars: Exemplar[] = []): CapturedPoint {
  return {
    ...base,
    type: 'distribution',
    name,
    attributes,
    count: values.length,
    sum: values.reduce((sum, value) => sum + value, 0),
    min: Math.min(...values),
    max: Math.max(...values),
    exemplars,
  };
}

export function exemplar(traceId: string, sampled: boolean | undefined): Exemplar {
  return { value: 1, timestampMs: 0, traceId, spanId: 'b'.repeat(16), sampled };
}

export function span(fields: Partial<SpanData> & { traceId: string }): SpanData {
  return { spanId: 'c'.repeat(16), name: 'work', startTimeMs: 0, endTimeMs: 1, status: 'ok', attributes: {}, sampled: true, ...fields };
}

export function snapshot(points: CapturedPoint[] = [], spans: SpanData[] = []): TelemetrySnapshot {
  return { points, spans };
}

export const TRACE_A = 'a'.repeat(32);
export const TRACE_B = '1'.repeat(32);
