/** A span of another tracing SDK (Sentry's), as far as isometer drives it. */
export interface ExternalSpan {
  spanContext(): { traceId: string; spanId: string; traceFlags?: number };
  setAttribute(key: string, value: string | number | boolean | undefined): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  updateName(name: string): unknown;
  end(endTimestamp?: number): void;
}

/**
 * The Sentry SDK functions isometer uses when Sentry owns tracing in the runtime: spans are
 * created by Sentry (its sampler decides), made active in Sentry's context, and headers and
 * continued traces go through Sentry. `@sentry/browser` and `@sentry/node` both fit.
 */
export interface SentryTracingLike {
  startInactiveSpan(options: { name: string; op?: string; attributes?: Record<string, unknown>; startTime?: number; parentSpan?: ExternalSpan | null }): ExternalSpan;
  withActiveSpan<T>(span: ExternalSpan | null, callback: () => T): T;
  getActiveSpan(): ExternalSpan | undefined;
  getTraceData?(): Record<string, string | undefined>;
  continueTrace?<T>(options: { sentryTrace: string | undefined; baggage: string | undefined }, callback: () => T): T;
}

/** True when `value` has the functions a tracing bridge needs. */
export function isSentryTracing(value: unknown): value is SentryTracingLike {
  const candidate = value as Partial<Record<keyof SentryTracingLike, unknown>> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.startInactiveSpan === 'function' &&
    typeof candidate.withActiveSpan === 'function' &&
    typeof candidate.getActiveSpan === 'function'
  );
}

/** Whether an external span is sampled: bit 0 of its W3C trace flags. */
export function externalSampled(span: ExternalSpan): boolean {
  return ((span.spanContext().traceFlags ?? 0) & 1) === 1;
}
