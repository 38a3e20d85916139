/**
 * The viewer's trace side: spans from every sender grouped by trace id (one trace across
 * services and SDKs when headers propagated), each labelled with its origin, service and SDK,
 * plus the metric points linked to each trace through their exemplars, so a trace that was not
 * sampled still shows up with its decision. Bounded: the least recently updated trace is evicted
 * first, and each trace keeps a limited number of spans and links.
 */
import type { ViewerLimits } from './viewer-limits';
import type { IngestBatch, ViewerExemplar, ViewerPoint, ViewerSpan } from './viewer-types';

type Sender = Pick<IngestBatch, 'origin' | 'service' | 'sdk'>;
type StoredSpan = Omit<ViewerSpan, 'traceId' | 'parentSpanId' | 'op' | 'statusMessage' | 'sampled' | 'sampleRate' | 'kind'> &
  Sender & {
    parentSpanId: string | null;
    op: string | null;
    kind: string | null;
    durationMs: number;
    statusMessage: string | null;
    sampled: boolean | null;
    sampleRate: number | null;
  };
interface MetricLink extends Sender {
  name: string;
  type: ViewerPoint['type'];
  unit: string;
  count: number;
  values: number[];
  spanIds: string[];
  sampled: Array<boolean | null>;
  lastTimeMs: number;
}
interface StoredTrace {
  traceId: string;
  firstSeenMs: number;
  updatedMs: number;
  spans: Map<string, StoredSpan>;
  metrics: Map<string, MetricLink>;
  evictedSpans: number;
}

/** What `/api/state` can be narrowed to: one service, and/or spans with an attribute (`key` or `key=value`). */
export interface ViewerFilter {
  service?: string;
  attribute?: string;
}

/**
 * @example
 * const traces = createTraceStore(DEFAULT_VIEWER_LIMITS);
 * traces.addSpan({ origin: 'server', service: 'api', sdk: 'opentelemetry' }, span);
 */
export function createTraceStore(limits: Pick<ViewerLimits, 'maxTraces' | 'maxSpansPerTrace' | 'maxMetricLinksPerTrace'>) {
  /** traceId → trace; Map order is least recently updated first. */
  const traces = new Map<string, StoredTrace>();
  const evicted = { traces: 0, spans: 0, metricLinks: 0 };

  function traceFor(traceId: string): StoredTrace {
    let trace = traces.get(traceId);
    if (trace === undefined) {
      if (traces.size >= limits.maxTraces) {
        traces.delete(traces.keys().next().value as string);
        evicted.traces++;
      }
      trace = { traceId, firstSeenMs: Date.now(), updatedMs: 0, spans: new Map(), metrics: new Map(), evictedSpans: 0 };
    }
    trace.updatedMs = Date.now();
    traces.delete(traceId);
    traces.set(traceId, trace);
    return trace;
  }

  function addSpan(sender: Sender, span: ViewerSpan): void {
    if (!isHexId(span?.traceId, 32) || !isHexId(span.spanId, 16)) return;
    const trace = traceFor(span.traceId);
    if (!trace.spans.has(span.spanId) && trace.spans.size >= limits.maxSpansPerTrace) {
      trace.evictedSpans++;
      evicted.spans++;
      return;
    }
    const startTimeMs = Number(span.startTimeMs);
    const endTimeMs = Math.max(startTimeMs, Number(span.endTimeMs));
    trace.spans.set(span.spanId, {
      spanId: span.spanId,
      parentSpanId: span.parentSpanId || null,
      origin: sender.origin,
      service: sender.service,
      sdk: sender.sdk,
      name: String(span.name ?? ''),
      op: span.op ?? null,
      kind: span.kind ?? null,
      startTimeMs,
      endTimeMs,
      durationMs: Math.round((endTimeMs - startTimeMs) * 1000) / 1000,
      status: span.status,
      statusMessage: span.statusMessage ?? null,
      sampled: span.sampled ?? null,
      sampleRate: span.sampleRate ?? null,
      attributes: span.attributes ?? {},
    });
  }

  /**
   * Links a metric point to its trace through one exemplar. Links are kept per origin and metric
   * name (a count and the last few values), so a long-lived page trace stays small.
   */
  function addMetricLink(sender: Sender, point: ViewerPoint, exemplar: ViewerExemplar): void {
    if (!isHexId(exemplar?.traceId, 32)) return;
    const trace = traceFor(exemplar.traceId!);
    const { origin, service, sdk } = sender;
    const key = `${origin}\u0000${service}\u0000${point.type}\u0000${point.name}`;
    let link = trace.metrics.get(key);
    if (link === undefined) {
      if (trace.metrics.size >= limits.maxMetricLinksPerTrace) {
        evicted.metricLinks++;
        return;
      }
      link = { origin, service, sdk, name: point.name, type: point.type, unit: point.unit, count: 0, values: [], spanIds: [], sampled: [], lastTimeMs: 0 };
      trace.metrics.set(key, link);
    }
    link.count++;
    pushLast(link.values, exemplar.value);
    if (exemplar.spanId && !link.spanIds.includes(exemplar.spanId)) pushLast(link.spanIds, exemplar.spanId);
    const flag = typeof exemplar.sampled === 'boolean' ? exemplar.sampled : null;
    if (!link.sampled.includes(flag)) link.sampled.push(flag);
    link.lastTimeMs = Math.max(link.lastTimeMs, exemplar.timestampMs ?? point.timeMs ?? 0);
  }

  /** Traces, the most recently started first (at most `limit`), each with its spans in tree order. */
  function tracesJson(limit = Infinity, filter: ViewerFilter = {}) {
    return [...traces.values()]
      .filter((trace) => matches(trace, filter))
      .map(traceJson)
      .sort((a, b) => b.startTimeMs - a.startTimeMs)
      .slice(0, limit);
  }

  function reset() {
    traces.clear();
    for (const key of Object.keys(evicted) as Array<keyof typeof evicted>) evicted[key] = 0;
  }

  return { addSpan, addMetricLink, tracesJson, reset, evicted, size: () => traces.size };
}

function matches(trace: StoredTrace, filter: ViewerFilter): boolean {
  if (filter.service && ![...trace.spans.values(), ...trace.metrics.values()].some((item) => item.service === filter.service)) return false;
  if (filter.attribute) {
    const [key, value] = splitAttributeFilter(filter.attribute);
    return [...trace.spans.values()].some((span) => key in span.attributes && (value === undefined || String(span.attributes[key]) === value));
  }
  return true;
}

/**
 * `key=value` → [key, value]; `key` → [key, undefined].
 *
 * @example
 * splitAttributeFilter('http.route=/api/products'); // ['http.route', '/api/products']
 */
export function splitAttributeFilter(filter: string): [string, string | undefined] {
  const at = filter.indexOf('=');
  return at === -1 ? [filter.trim(), undefined] : [filter.slice(0, at).trim(), filter.slice(at + 1).trim()];
}

function traceJson(trace: StoredTrace) {
  const spans = treeOrder([...trace.spans.values()]);
  const metrics = [...trace.metrics.values()].map((link) => ({
    ...link,
    values: [...link.values],
    spanIds: [...link.spanIds],
    sampled: link.sampled.length === 1 ? link.sampled[0] : null,
    sampledValues: [...link.sampled],
  }));
  const times: Array<{ startTimeMs: number; endTimeMs: number }> = spans.length > 0 ? spans : metrics.map((metric) => ({ startTimeMs: metric.lastTimeMs, endTimeMs: metric.lastTimeMs }));
  const startTimeMs = times.length > 0 ? Math.min(...times.map((s) => s.startTimeMs)) : trace.firstSeenMs;
  const endTimeMs = times.length > 0 ? Math.max(...times.map((s) => s.endTimeMs)) : trace.firstSeenMs;
  const decision = decisionOf(spans, metrics);
  const root = spans.find((span) => span.depth === 0);
  return {
    traceId: trace.traceId,
    ...decision,
    rootName: root ? root.name : null,
    startTimeMs,
    endTimeMs,
    durationMs: Math.round((endTimeMs - startTimeMs) * 1000) / 1000,
    services: [...new Set([...spans, ...metrics].map((item) => item.service))],
    sdks: [...new Set([...spans, ...metrics].map((item) => item.sdk))],
    spanCounts: { browser: spans.filter((s) => s.origin === 'browser').length, server: spans.filter((s) => s.origin === 'server').length },
    metricCounts: { browser: countOf(metrics, 'browser'), server: countOf(metrics, 'server') },
    errors: spans.filter((s) => s.status === 'error').length,
    evictedSpans: trace.evictedSpans,
    spans,
    metrics,
  };
}

/** How many metric points from `origin` carried this trace. */
function countOf(metrics: Array<{ origin: string; count: number }>, origin: string): number {
  return metrics.filter((m) => m.origin === origin).reduce((sum, m) => sum + m.count, 0);
}

const KEEP_LAST = 5;

function pushLast<T>(list: T[], value: T): void {
  list.push(value);
  if (list.length > KEEP_LAST) list.shift();
}

/**
 * What the data says about the trace's sampling decision. Spans are only exported from sampled
 * traces; server exemplars carry the flag (OTLP exemplars do not). `conflict` is true when the
 * evidence disagrees, which would mean a service did not follow the page's decision.
 */
function decisionOf(spans: StoredSpan[], metrics: Array<{ sampledValues: Array<boolean | null> }>) {
  const votes = new Set<boolean>();
  for (const span of spans) votes.add(span.sampled !== false);
  for (const metric of metrics) for (const flag of metric.sampledValues) if (typeof flag === 'boolean') votes.add(flag);
  const sampled = votes.size === 1 ? [...votes][0] : votes.size === 0 ? null : spans.length > 0;
  const rate = spans.find((span) => typeof span.sampleRate === 'number');
  return {
    sampled,
    decision: sampled === true ? 'sampled' : sampled === false ? 'not_sampled' : 'unknown',
    sampleRate: rate ? rate.sampleRate : null,
    conflict: votes.size > 1,
  };
}

/**
 * Depth-first by start time, children under their parent; spans whose parent was not received
 * (the page's own parent is the server render, and vice versa) start at depth 0.
 */
function treeOrder(spans: StoredSpan[]): Array<StoredSpan & { depth: number }> {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const children = new Map<string, StoredSpan[]>();
  const roots: StoredSpan[] = [];
  for (const span of spans) {
    if (span.parentSpanId && byId.has(span.parentSpanId) && span.parentSpanId !== span.spanId) {
      if (!children.has(span.parentSpanId)) children.set(span.parentSpanId, []);
      children.get(span.parentSpanId)!.push(span);
    } else {
      roots.push(span);
    }
  }
  const ordered: Array<StoredSpan & { depth: number }> = [];
  const visited = new Set<string>();
  const visit = (span: StoredSpan, depth: number): void => {
    if (visited.has(span.spanId)) return;
    visited.add(span.spanId);
    ordered.push({ ...span, depth });
    for (const child of (children.get(span.spanId) ?? []).sort(byStart)) visit(child, depth + 1);
  };
  for (const root of roots.sort(byStart)) visit(root, 0);
  // A parent cycle leaves spans unvisited; show them rather than lose them.
  for (const span of spans) if (!visited.has(span.spanId)) ordered.push({ ...span, depth: 0 });
  return ordered;
}

function byStart(a: StoredSpan, b: StoredSpan): number {
  return a.startTimeMs - b.startTimeMs;
}

function isHexId(value: unknown, length: number): boolean {
  return typeof value === 'string' && value.length === length && /^[0-9a-f]+$/.test(value) && !/^0+$/.test(value);
}
