/**
 * The demo's collector: what the page sent through the tunnel route and what the server's
 * in-process exporter handed over, kept in bounded memory, with change notifications for the
 * dashboard's live view.
 */
import { createSeriesStore } from './series-store.mjs';
import { createTraceStore } from './trace-store.mjs';

/** How much the collector keeps; past these the oldest data goes, and is counted. */
export const DEFAULT_COLLECTOR_LIMITS = {
  maxSeries: 1000,
  /** Charts: one per origin and metric name (all its attribute sets merged). */
  maxCharts: 200,
  maxPointsPerSeries: 300,
  maxTraces: 200,
  maxSpansPerTrace: 300,
  /** Distinct (origin, metric) links per trace. */
  maxMetricLinksPerTrace: 100,
  /** The dashboard's time buckets: one per flush interval of the demo's two sides. */
  bucketMs: 2000,
};

/** Traces in the dashboard view of the state. */
const DASHBOARD_TRACES = 60;

/**
 * @example
 * const store = createCollectorStore();
 * store.addMetrics('server', 'node-demo', batch.points);
 * store.state().traces;
 */
export function createCollectorStore(limits = {}) {
  const settings = { ...DEFAULT_COLLECTOR_LIMITS, ...limits };
  const startedAtMs = Date.now();
  let resetAtMs = startedAtMs;
  let version = 0;
  const metrics = createSeriesStore(settings);
  const traces = createTraceStore(settings);
  const received = emptyReceived();
  const listeners = new Set();

  function changed() {
    version++;
    for (const listener of listeners) {
      try {
        listener(version);
      } catch {
        // A dashboard connection that went away must not stop the others.
      }
    }
  }

  /** Points in the collector's shape (see otlp-decode.mjs; isometer's MetricPoint fits it as is). */
  function addMetrics(origin, service, points) {
    received.metricBatches[origin] = (received.metricBatches[origin] ?? 0) + 1;
    for (const point of points) {
      received.points[origin] = (received.points[origin] ?? 0) + 1;
      for (const exemplar of metrics.add(origin, service, point)) traces.addMetricLink(origin, service, point, exemplar);
    }
    changed();
  }

  /** Spans in isometer's SpanData shape. */
  function addSpans(origin, service, spans) {
    received.spanBatches[origin] = (received.spanBatches[origin] ?? 0) + 1;
    for (const span of spans) {
      received.spans[origin] = (received.spans[origin] ?? 0) + 1;
      traces.addSpan(origin, service, span);
    }
    changed();
  }

  /** Counts a request the tunnel could not use (bad JSON, too large, wrong content type). */
  function reject(reason) {
    received.rejected[reason] = (received.rejected[reason] ?? 0) + 1;
    changed();
  }

  /**
   * Everything the collector holds. `view: 'dashboard'` leaves out the per-series point rings
   * (the charts carry the merged data) and all but the newest traces, which keeps the live
   * view's payload small.
   */
  function state({ view = 'full' } = {}) {
    const full = view !== 'dashboard';
    return {
      version,
      nowMs: Date.now(),
      startedAtMs,
      resetAtMs,
      limits: settings,
      received,
      evicted: { ...metrics.evicted, ...traces.evicted },
      sizes: { ...metrics.size(), traces: traces.size() },
      charts: metrics.chartsJson(),
      series: metrics.seriesJson({ withPoints: full }),
      traces: traces.tracesJson(full ? Infinity : DASHBOARD_TRACES),
    };
  }

  function reset() {
    metrics.reset();
    traces.reset();
    Object.assign(received, emptyReceived());
    resetAtMs = Date.now();
    changed();
  }

  /** Calls `listener(version)` after every change; returns the unsubscribe function. */
  function subscribe(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  return { addMetrics, addSpans, reject, state, reset, subscribe, version: () => version };
}

function emptyReceived() {
  return { metricBatches: {}, spanBatches: {}, points: {}, spans: {}, rejected: {} };
}
