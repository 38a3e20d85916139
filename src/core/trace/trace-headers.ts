import { getAmbientPropagation, getContextManager, setAmbientPropagation, getTracingBridge } from '../carrier';
import { debugLogger } from '../internal/debug-logger';
import { formatBaggage } from './codecs/baggage';
import { createRootPropagation } from './create-span';
import { dynamicSamplingContext } from './codecs/dynamic-sampling-context';
import { generateSpanId } from './codecs/ids';
import { propagationFromHeaders, readHeader, type IncomingHeaders } from './propagation-from-headers';
import type { PropagationContext } from '../internal/propagation-context';
import { formatSentryTrace } from './codecs/sentry-trace';
import { Span } from './span';
import { formatTraceparent } from './codecs/traceparent';
import { formatTracestate } from './codecs/tracestate';
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
    const active = getContextManager().active();
    const span = active?.span instanceof Span ? active.span : undefined;
    const propagation = span?.propagation ?? active?.propagation ?? ambientPropagation();
    return traceHeadersFor(propagation, span);
  } catch (error) {
    debugLogger.internalError('getTraceHeaders', error);
    return {} as TraceHeaders;
  }
}

/** The headers that make `span` (or, without one, the trace itself) the parent downstream. */
export function traceHeadersFor(propagation: PropagationContext, span: Span | undefined): TraceHeaders {
  const client = getTracingClient();
  const spanId = span?.spanId ?? generateSpanId();
  const sampled = span ? span.sampled : propagation.sampled;
  const headers: TraceHeaders = {
    'sentry-trace': formatSentryTrace(propagation.traceId, spanId, sampled) as string,
    baggage: formatBaggage(dynamicSamplingContext(propagation, span?.root, client?.options), propagation.foreignBaggage),
  };
  if (client?.options.propagateTraceparent) {
    headers.traceparent = formatTraceparent(propagation.traceId, spanId, sampled === true, propagation.randomTraceId);
    const tracestate = formatTracestate(propagation.tracestate);
    if (tracestate) headers.tracestate = tracestate;
  }
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
    debugLogger.warnOnce('continueTrace:fn', 'continueTrace(headers, fn): fn must be a function; nothing was run.');
    return undefined as T;
  }
  const bridge = getTracingBridge();
  if (bridge?.continueTrace) {
    let started = false;
    try {
      return bridge.continueTrace({ sentryTrace: readHeader(headers, 'sentry-trace'), baggage: readHeader(headers, 'baggage') }, () => {
        started = true;
        return fn();
      });
    } catch (error) {
      // The user's own error passes through unchanged; only Sentry failing before `fn` ran is ours.
      if (started) throw error;
      debugLogger.internalError('continueTrace (Sentry)', error);
      return fn();
    }
  }
  let context;
  const manager = getContextManager();
  try {
    const propagation = propagationFromHeaders(headers) ?? createRootPropagation();
    const trace = propagation.parentSpanId ? { traceId: propagation.traceId, spanId: propagation.parentSpanId, sampled: propagation.sampled, sampleRate: propagation.sampleRate } : undefined;
    const active = manager.active();
    context = { scope: active?.scope, suppressed: active?.suppressed, propagation, trace };
  } catch (error) {
    debugLogger.internalError('continueTrace', error);
    return fn();
  }
  return manager.with(context, fn);
}

/** The trace used when nothing is active, made on first use. */
export function ambientPropagation(): PropagationContext {
  let propagation = getAmbientPropagation();
  if (propagation === undefined) setAmbientPropagation((propagation = createRootPropagation()));
  return propagation;
}
