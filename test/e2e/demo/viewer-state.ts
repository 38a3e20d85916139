import { VIEWER_ORIGIN } from './demo-port';

/** The parts of the demo viewer's `GET /api/state` these tests read (src/dev, started by node-demo). */
export interface ViewerState {
  received: { metricBatches: Record<string, number>; spanBatches: Record<string, number> };
  series: ViewerSeries[];
  traces: ViewerTrace[];
}

export interface ViewerSeries {
  origin: 'browser' | 'server';
  service: string;
  type: 'counter' | 'gauge' | 'distribution';
  name: string;
  unit: string;
  attributes: Record<string, string | number | boolean>;
  points: Array<{ timeMs: number; count: number | null; sum: number; last?: number; min?: number; max?: number; exemplars: Array<{ traceId: string; spanId?: string; sampled?: boolean }> }>;
}

export interface ViewerSpan {
  spanId: string;
  parentSpanId: string | null;
  origin: 'browser' | 'server';
  service: string;
  sdk: string;
  name: string;
  op: string | null;
  sampled: boolean | null;
  attributes: Record<string, unknown>;
}

export interface ViewerTrace {
  traceId: string;
  sampled: boolean | null;
  decision: 'sampled' | 'not_sampled' | 'unknown';
  conflict: boolean;
  spanCounts: { browser: number; server: number };
  metricCounts: { browser: number; server: number };
  spans: ViewerSpan[];
  metrics: Array<{ origin: 'browser' | 'server'; name: string; type: string; count: number; sampledValues: Array<boolean | null> }>;
}

/**
 * Everything the viewer holds now (full view: every trace, every stored point).
 *
 * @example
 * const trace = (await viewerState()).traces.find((t) => t.traceId === traceId);
 */
export async function viewerState(): Promise<ViewerState> {
  const response = await fetch(`${VIEWER_ORIGIN}/api/state`);
  if (!response.ok) throw new Error(`GET ${VIEWER_ORIGIN}/api/state answered ${response.status}`);
  return (await response.json()) as ViewerState;
}

/** The viewer's trace with this id, or undefined. */
export async function viewerTrace(traceId: string): Promise<ViewerTrace | undefined> {
  return (await viewerState()).traces.find((trace) => trace.traceId === traceId);
}

/**
 * The browser points of a metric that belong to one page: a stored point is one flush of one
 * page, and its exemplars name the trace it was recorded in.
 */
export function pagePoints(state: ViewerState, name: string, traceId: string): ViewerSeries['points'] {
  return state.series
    .filter((series) => series.origin === 'browser' && series.name === name)
    .flatMap((series) => series.points)
    .filter((point) => point.exemplars.some((exemplar) => exemplar.traceId === traceId));
}
