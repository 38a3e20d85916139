import type { AttributeValue } from '../core/internal/attributes';
import type { ExponentialHistogramData } from '../core/metrics/exponential-histogram';

/** Which side of an app sent something: a page (browser SDKs) or anything else (servers, workers, StatsD). */
export type ViewerOrigin = 'browser' | 'server';

/** Attributes as the viewer keeps them: flat, JSON-safe values. */
export type ViewerAttributes = Record<string, AttributeValue | null>;

/** A trace link carried by a metric point (OTLP exemplar, isometer exemplar, Sentry item ids). */
export interface ViewerExemplar {
  traceId?: string;
  spanId?: string;
  value: number;
  timestampMs?: number;
  /** The trace's sampling decision when the sender knows it (isometer does; OTLP exemplars carry none). */
  sampled?: boolean;
}

/**
 * One aggregated point, whatever format it came in: a delta counter (`sum`), a gauge (`last`,
 * `min`, `max`) or a distribution (an exponential histogram, or only count/sum/min/max when the
 * sender had no buckets). isometer's `MetricPoint` has this shape.
 *
 * @example
 * const point: ViewerPoint = { type: 'counter', name: 'orders', unit: '', attributes: {}, sum: 2, count: 2, exemplars: [] };
 */
export interface ViewerPoint {
  type: 'counter' | 'gauge' | 'distribution';
  name: string;
  unit: string;
  attributes: ViewerAttributes;
  startTimeMs?: number;
  timeMs?: number;
  sum?: number;
  count?: number;
  last?: number;
  min?: number;
  max?: number;
  histogram?: ExponentialHistogramData;
  exemplars: ViewerExemplar[];
  /** OTLP cumulative temporality: running totals since `startTimeMs`, turned into deltas on ingest. */
  cumulative?: boolean;
}

/**
 * One finished span, in isometer's `SpanData` shape (ids lowercase hex, times in ms).
 *
 * @example
 * const span: ViewerSpan = { traceId, spanId, name: 'GET /', startTimeMs: 0, endTimeMs: 3, status: 'ok', attributes: {}, sampled: true };
 */
export interface ViewerSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  op?: string;
  kind?: string;
  startTimeMs: number;
  endTimeMs: number;
  status: 'ok' | 'error' | 'unset';
  statusMessage?: string;
  attributes: ViewerAttributes;
  sampled?: boolean;
  sampleRate?: number;
}

/**
 * What one request (or datagram, or in-process export) brought: who sent it and what.
 *
 * @example
 * store.ingest({ origin: 'server', service: 'api', sdk: 'opentelemetry', points, spans: [] });
 */
export interface IngestBatch {
  origin: ViewerOrigin;
  service: string;
  /** The SDK that sent it: `isometer`, `opentelemetry`, `sentry.javascript.node`, `statsd`, … */
  sdk: string;
  points: ViewerPoint[];
  spans: ViewerSpan[];
}
