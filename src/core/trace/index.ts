/** Tracing: spans, sampling, and the headers that carry a trace between services. */
export { startSpan, startInactiveSpan, withActiveSpan, getActiveSpan } from './start-span';
export type { StartSpanOptions } from './create-span';
export { traced, type TracedOptions } from './traced';
export { Span, type SpanNameSource } from './span';
export { getTraceHeaders, continueTrace, traceHeadersFor, ambientPropagation, type TraceHeaders } from './trace-headers';
export { propagationFromHeaders, readHeader, type IncomingHeaders } from './incoming';
export type { PropagationContext } from './propagation-context';
export { matchesPropagationTargets } from './propagation-targets';
export { decideSampling, type SamplingDecision } from './sampler';
export { parseSentryTrace, formatSentryTrace } from './codecs/sentry-trace';
export { parseTraceparent, formatTraceparent } from './codecs/traceparent';
export { parseTracestate, formatTracestate, setTracestateMember, type TraceState } from './codecs/tracestate';
export { parseBaggage, formatBaggage } from './codecs/baggage';
export { generateTraceId, generateSpanId } from './codecs/ids';
