import { getContextManager, getTracingBridge } from '../carrier';
import { getBridgedTracing } from './bridged-tracing-api';
import type { ActiveContext } from '../internal/context';
import { debugLogger } from '../internal/debug-logger';
import { createRootPropagation } from './create-span';
import { currentTrace } from './ambient-propagation';
import { traceParts } from './outgoing';
import { mergeOutgoingBaggage } from './outgoing-baggage';
import { propagationFromHeaders, readHeader, type IncomingHeaders } from './incoming';
import type { PropagationContext } from '../internal/propagation-context';
import type { Span } from './span';
import { getTracingClient } from './tracing-client';

/** The headers that carry a trace to the next service. */
// A type alias, not an interface: an object type alias has an implicit index signature, so the
// headers pass as `fetch`'s `HeadersInit` and as Node's `OutgoingHttpHeaders` as they are.
export type TraceHeaders = {
  'sentry-trace': string;
  baggage: string;
  traceparent?: string;
  tracestate?: string;
};

/**
 * The trace headers for an outgoing request made now: from the active span, else the continued
 * trace, else the page's (browser) or process's (Node) trace. `traceparent`/`tracestate` only
 * with `propagateTraceparent`. For transports isometer does not patch (WebSocket, gRPC, queues).
 *
 * @example
 * await fetch(url, { headers: { ...getTraceHeaders() } });
 */
export function getTraceHeaders(): TraceHeaders {
  try {
    const fromSentry = getTracingBridge()?.getTraceData?.();
    if (fromSentry && fromSentry['sentry-trace']) return { ...fromSentry, baggage: fromSentry.baggage ?? '' } as TraceHeaders;
    const { propagation, span } = currentTrace();
    return traceHeadersFor(propagation, span);
  } catch (error) {
    debugLogger.internalError('getTraceHeaders', error);
    return {} as TraceHeaders;
  }
}

/** The headers that make `span` (or, without one, the trace itself) the parent downstream (the rule in outgoing.ts). */
export function traceHeadersFor(propagation: PropagationContext, span: Span | undefined): TraceHeaders {
  const parts = traceParts(propagation, span);
  const headers = { baggage: mergeOutgoingBaggage(undefined, parts.sentryBaggage, parts.traceBaggage).value ?? '' } as TraceHeaders;
  if (parts.sentryTrace) headers['sentry-trace'] = parts.sentryTrace;
  if (parts.traceparent) headers.traceparent = parts.traceparent;
  if (parts.tracestate) headers.tracestate = parts.tracestate;
  return headers;
}

/**
 * Runs `fn` in the trace the incoming headers carry (`sentry-trace` + `baggage`, or
 * `traceparent` + `tracestate`), so spans, metrics and outgoing calls inside it continue it. A
 * missing or malformed header starts a new trace instead. Returns what `fn` returns.
 *
 * @example
 * queue.on('message', (message) => continueTrace(message.headers, () => handle(message)));
 */
export function continueTrace<T>(headers: IncomingHeaders, fn: () => T): T {
  if (typeof fn !== 'function') {
    debugLogger.warnOnce('continueTrace:fn', process.env.NODE_ENV !== 'production' && 'continueTrace(headers, fn): fn must be a function; nothing was run.');
    return undefined as T;
  }
  const owned = getBridgedTracing();
  if (owned?.bridge.continueTrace) return owned.tracing.continueTrace(owned.bridge, readHeader(headers, 'sentry-trace'), readHeader(headers, 'baggage'), fn);
  let context;
  const manager = getContextManager();
  try {
    context = continuedContext(headers, manager.active());
  } catch (error) {
    debugLogger.internalError('continueTrace', error);
    return fn();
  }
  return manager.with(context, fn);
}

/**
 * The context `continueTrace` runs its callback in: `active`'s scope, and the trace the headers
 * carry (a new one when they carry none). May throw on hostile headers; callers catch.
 */
export function continuedContext(headers: IncomingHeaders, active: ActiveContext | undefined): ActiveContext {
  const propagation = propagationFromHeaders(headers, getTracingClient()?.options.propagators) ?? createRootPropagation();
  const trace = propagation.parentSpanId ? { traceId: propagation.traceId, spanId: propagation.parentSpanId, sampled: propagation.sampled, sampleRate: propagation.sampleRate } : undefined;
  return { scope: active?.scope, suppressed: active?.suppressed, propagation, trace };
}

export { ambientPropagation } from './ambient-propagation';
