import type { Attributes } from '../internal/attributes';

/** How a span ended. */
export type SpanStatus = 'ok' | 'error' | 'unset';

/** A finished span as exporters receive it. Ids are lowercase hex. */
export interface SpanData {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** The operation (`http.client`, `db.query`, `ttfb`, …), as Sentry's `op`. */
  op?: string;
  startTimeMs: number;
  endTimeMs: number;
  status: SpanStatus;
  statusMessage?: string;
  attributes: Attributes;
  sampled: boolean;
  sampleRate?: number;
  sampleRand?: number;
  /** True for a span Sentry owns (a tracing bridge made it): it reaches Sentry through Sentry's SDK. */
  sentryOwned?: boolean;
}
