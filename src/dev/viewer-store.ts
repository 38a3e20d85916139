/**
 * Everything the viewer holds: series and traces (bounded, see viewer-limits.ts), what arrived
 * from whom, what was refused and why, with change notifications for the page's live view.
 */
import { buildCharts } from './build-charts';
import { createSeriesStore } from './series-store';
import { createTraceStore, splitAttributeFilter, type ViewerFilter } from './trace-store';
import { DEFAULT_VIEWER_LIMITS, type ViewerLimits } from './viewer-limits';
import type { IngestBatch } from './viewer-types';

/** Charts that took longer than this to build are not rebuilt for every change (see chartsFor). */
const SLOW_CHARTS_MS = 50;
/** Traces in the page's view of the state (the full view has every one). */
const PAGE_TRACES = 60;

/** How often each sender (by origin and by SDK) reached the viewer, and what was refused. */
export interface ViewerReceived {
  metricBatches: Record<string, number>;
  spanBatches: Record<string, number>;
  points: Record<string, number>;
  spans: Record<string, number>;
  bySdk: Record<string, { points: number; spans: number }>;
  /** Requests and datagrams refused, by reason (`invalid_json`, `invalid_protobuf`, `too_large`, …). */
  rejected: Record<string, number>;
}

/**
 * @example
 * const store = createViewerStore();
 * store.ingest({ origin: 'server', service: 'api', sdk: 'opentelemetry', points, spans });
 * store.state().metricNames;
 */
export function createViewerStore(limits: Partial<ViewerLimits> = {}) {
  const settings: ViewerLimits = { ...DEFAULT_VIEWER_LIMITS, ...limits };
  const startedAtMs = Date.now();
  let resetAtMs = startedAtMs;
  let version = 0;
  const metrics = createSeriesStore(settings);
  const traces = createTraceStore(settings);
  let received = emptyReceived();
  /**
   * The last charts built, per filter. Building them merges every selected series' intervals;
   * at the caps that takes a while, so while data keeps arriving, charts slower than
   * SLOW_CHARTS_MS are rebuilt at most once per ten times their build cost (the event loop stays
   * ≥ 90% free for ingest); fast ones are always fresh.
   */
  const chartCache = new Map<string, { version: number; builtAtMs: number; costMs: number; charts: ReturnType<typeof buildCharts> }>();
  function chartsFor(filterKey: string, selected: Parameters<typeof buildCharts>[0]) {
    const cached = chartCache.get(filterKey);
    const now = Date.now();
    if (cached && (cached.version === version || (cached.costMs >= SLOW_CHARTS_MS && now - cached.builtAtMs < cached.costMs * 10))) return cached.charts;
    const charts = buildCharts(selected, settings.bucketMs);
    if (chartCache.size >= 16) chartCache.delete(chartCache.keys().next().value as string);
    chartCache.set(filterKey, { version, builtAtMs: Date.now(), costMs: Date.now() - now, charts });
    return charts;
  }
  const listeners = new Set<(version: number) => void>();

  function changed(): void {
    version++;
    for (const listener of listeners) {
      try {
        listener(version);
      } catch {
        // A page connection that went away must not stop the others.
      }
    }
  }

  function bump(counts: Record<string, number>, key: string, by = 1): void {
    counts[key] = (counts[key] ?? 0) + by;
  }

  /** Stores one sender's points and spans. */
  function ingest(batch: IngestBatch): void {
    const sdk = (received.bySdk[batch.sdk] ??= { points: 0, spans: 0 });
    if (batch.points.length > 0) bump(received.metricBatches, batch.origin);
    if (batch.spans.length > 0) bump(received.spanBatches, batch.origin);
    for (const point of batch.points) {
      bump(received.points, batch.origin);
      sdk.points++;
      for (const exemplar of metrics.add(batch, point)) traces.addMetricLink(batch, point, exemplar);
    }
    for (const span of batch.spans) {
      bump(received.spans, batch.origin);
      sdk.spans++;
      traces.addSpan(batch, span);
    }
    changed();
  }

  /** Counts input the viewer could not use (bad JSON or protobuf, too large, garbage datagrams, …). */
  function reject(reason: string, count = 1): void {
    bump(received.rejected, reason, count);
    changed();
  }

  /**
   * The state as `/api/state` serves it. `view: 'page'` leaves out the per-series point rings and
   * all but the newest traces, which keeps the live page's payload small; a filter narrows series,
   * charts and traces to one service and/or an attribute (`key` or `key=value`).
   */
  function state({ view = 'full', ...filter }: { view?: 'full' | 'page' } & ViewerFilter = {}) {
    const all = metrics.all();
    const selected = all.filter((entry) => (!filter.service || entry.service === filter.service) && attributeMatches(entry.attributes, filter.attribute));
    const everyTrace = traces.tracesJson(Infinity);
    return {
      version,
      nowMs: Date.now(),
      startedAtMs,
      resetAtMs,
      limits: settings,
      received,
      evicted: { ...metrics.evicted, ...traces.evicted },
      sizes: { series: metrics.size(), traces: traces.size() },
      filter,
      services: [...new Set([...all.map((entry) => entry.service), ...everyTrace.flatMap((trace) => trace.services)])].sort(),
      metricNames: [...new Set(all.map((entry) => entry.name))].sort(),
      charts: chartsFor(JSON.stringify([filter.service, filter.attribute]), selected),
      series: metrics.seriesJson(selected, { withPoints: view === 'full' }),
      traces: traces.tracesJson(view === 'full' ? Infinity : PAGE_TRACES, filter),
    };
  }

  function reset(): void {
    chartCache.clear();
    metrics.reset();
    traces.reset();
    received = emptyReceived();
    resetAtMs = Date.now();
    changed();
  }

  /** Calls `listener(version)` after every change; returns the unsubscribe function. */
  function subscribe(listener: (version: number) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  return { ingest, reject, state, reset, subscribe, limits: settings, version: () => version };
}

/** The store `createViewerStore` returns. */
export type ViewerStore = ReturnType<typeof createViewerStore>;

function attributeMatches(attributes: Record<string, unknown>, filter: string | undefined): boolean {
  if (!filter) return true;
  const [key, value] = splitAttributeFilter(filter);
  return key in attributes && (value === undefined || String(attributes[key]) === value);
}

function emptyReceived(): ViewerReceived {
  return { metricBatches: {}, spanBatches: {}, points: {}, spans: {}, bySdk: {}, rejected: {} };
}
