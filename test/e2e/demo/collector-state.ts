import { DEMO_ORIGIN } from './demo-port';

/** The parts of the demo collector's `GET /api/collector/state` these tests read (node-demo/collector). */
export interface CollectorState {
  received: { metricBatches: Record<string, number>; spanBatches: Record<string, number> };
  series: CollectorSeries[];
  traces: CollectorTrace[];
}

export interface CollectorSeries {
  origin: 'browser' | 'server';
  service: string;
  type: 'counter' | 'gauge' | 'distribution';
  name: string;
  unit: string;
  attributes: Record<string, string | number | boolean>;
  points: Array<{ timeMs: number; count: number | null; sum: number; last?: number; min?: number; max?: number; exemplars: Array<{ traceId: string; spanId?: string; sampled?: boolean }> }>;
}

export interface CollectorSpan {
  spanId: string;
  parentSpanId: string | null;
  origin: 'browser' | 'server';
  service: string;
  name: string;
  op: string | null;
  sampled: boolean | null;
  attributes: Record<string, unknown>;
}

export interface CollectorTrace {
  traceId: string;
  sampled: boolean | null;
  decision: 'sampled' | 'not_sampled' | 'unknown';
  conflict: boolean;
  spanCounts: { browser: number; server: number };
  metricCounts: { browser: number; server: number };
  spans: CollectorSpan[];
  metrics: Array<{ origin: 'browser' | 'server'; name: string; type: string; count: number; sampledValues: Array<boolean | null> }>;
}

/**
 * Everything the collector holds now (full view: every trace, every stored point).
 *
 * @example
 * const trace = (await collectorState()).traces.find((t) => t.traceId === traceId);
 */
export async function collectorState(): Promise<CollectorState> {
  const response = await fetch(`${DEMO_ORIGIN}/api/collector/state`);
  if (!response.ok) throw new Error(`GET /api/collector/state answered ${response.status}`);
  return (await response.json()) as CollectorState;
}

/** The collector's trace with this id, or undefined. */
export async function collectorTrace(traceId: string): Promise<CollectorTrace | undefined> {
  return (await collectorState()).traces.find((trace) => trace.traceId === traceId);
}

/**
 * The browser points of a metric that belong to one page: a stored point is one flush of one
 * page, and its exemplars name the trace it was recorded in.
 */
export function pagePoints(state: CollectorState, name: string, traceId: string): CollectorSeries['points'] {
  return state.series
    .filter((series) => series.origin === 'browser' && series.name === name)
    .flatMap((series) => series.points)
    .filter((point) => point.exemplars.some((exemplar) => exemplar.traceId === traceId));
}
