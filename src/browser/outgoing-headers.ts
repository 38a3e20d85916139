import { MAX_BAGGAGE_BYTES } from '../core/trace/codecs/baggage';
import { traceHeadersFor } from '../core/trace/trace-headers';
import type { Span } from '../core/trace/span';

/** A header store: Fetch's `Headers`, or XHR's setter with a view of what was already set. */
export interface HeaderTarget {
  get(name: string): string | null | undefined;
  set(name: string, value: string): void;
}

/**
 * Adds `span`'s trace headers to a request, never twice: an existing `sentry-trace` (or
 * `traceparent`) is left alone, and `sentry-*` baggage entries are only appended to a baggage
 * header that has none.
 */
export function addTraceHeaders(target: HeaderTarget, span: Span): void {
  const headers = traceHeadersFor(span.propagation, span);
  if (!target.get('sentry-trace')) target.set('sentry-trace', headers['sentry-trace']);
  if (headers.traceparent && !target.get('traceparent')) target.set('traceparent', headers.traceparent);
  if (headers.tracestate && !target.get('tracestate')) target.set('tracestate', headers.tracestate);
  const existing = target.get('baggage');
  if (!existing) {
    if (headers.baggage) target.set('baggage', headers.baggage);
  } else if (!/(^|,)\s*sentry-/.test(existing)) {
    // Only our own entries are appended; the caller's foreign entries are already there.
    const ours = headers.baggage.split(',').filter((member) => member.startsWith('sentry-'));
    const merged = `${existing},${ours.join(',')}`;
    if (ours.length > 0 && merged.length <= MAX_BAGGAGE_BYTES) target.set('baggage', merged);
  }
}
