import { parseUrl, type ParsedUrl } from '../internal/runtime-globals';
import { formatBaggage } from './codecs/baggage';
import { getTraceStateCodec } from '../carrier';
import { ownOpenTelemetryEntry } from './codecs/consistent-sampling';
import { dynamicSamplingContext } from './codecs/dynamic-sampling-context';
import { generateSpanId } from './codecs/ids';
import { formatSentryTrace } from './codecs/sentry-trace';
import { formatTraceparent } from './codecs/traceparent';
import { currentTrace } from './ambient-propagation';
import type { StartSpanOptions } from './create-span';
import { settleTraceState } from './incoming';
import { mergeOutgoingBaggage } from './outgoing-baggage';
import type { PropagationContext } from '../internal/propagation-context';
import { matchesPropagationTargets } from './propagation-targets';
import type { Span } from './span';
import { getActiveSpan, startInactiveSpan } from './start-span';
import { isTracingSuppressed } from './suppress-tracing';
import { getTracingClient } from './tracing-client';

/**
 * The one rule for outgoing requests, in both runtimes: which span times the request (name,
 * attributes, parent) and which trace headers it carries. The browser's fetch/XHR wiring and
 * Node's http.request/fetch wiring only read the request and write what this decides.
 */

/** What the wiring knows about a request about to go out. */
export interface OutgoingRequest {
  method: string;
  /** Absolute URL, query included (targets may match on it). */
  url: string;
  /** The URL as the app wrote it (relative in a page), when it differs. */
  rawUrl?: string;
  /** A header the app already set, case-insensitively, repeated values joined with commas. */
  header(name: string): string | undefined;
}

/** What differs between runtimes, as data. */
export interface OutgoingRuntime {
  /** Whether a URL gets headers when `tracePropagationTargets` is unset (browser: same origin; Node: all). */
  propagatesByDefault(url: ParsedUrl): boolean;
  /** Same-origin requests are named by path (browser); others by URL without query. */
  sameOrigin(url: ParsedUrl): boolean;
  /** The span a request made outside any active span hangs under (the page load); without one, no span. */
  fallbackParent?(): Span | undefined;
}

/** What to do with one outgoing request. */
export interface OutgoingPlan {
  span: Span | undefined;
  /** Header name → whole value to set; undefined when the request carries no trace headers. */
  headers: Record<string, string> | undefined;
  /** The members added to a `baggage` the app already set, for hosts that can only append (XHR). */
  baggageAdded?: string;
}

/** The parts of a trace's outgoing headers, before they meet the app's own. */
export interface TraceParts {
  sentryTrace?: string;
  /** `sentry-*` baggage members, encoded. */
  sentryBaggage: string[];
  /** The trace's other baggage members (from upstream), verbatim. */
  traceBaggage: string[];
  traceparent?: string;
  tracestate?: string;
}

/** The URL without query and fragment: span names and attributes must not carry query data. */
export function urlWithoutQuery(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/**
 * The `http.client` span options of a request: `METHOD /path` for the page's own origin,
 * `METHOD https://host/path` otherwise (never the query), with the OpenTelemetry HTTP client
 * attributes. Its parent is the active span, else the runtime's fallback (the page load).
 *
 * @example
 * outgoingSpanOptions('get', new URL('https://api.example.com/v1/items?page=2'), false);
 * // { name: 'GET https://api.example.com/v1/items', op: 'http.client', nameSource: 'url', attributes: { … } }
 */
export function outgoingSpanOptions(method: string, url: ParsedUrl, sameOrigin: boolean, parentSpan?: Span): StartSpanOptions {
  const upper = method.toUpperCase();
  const full = urlWithoutQuery(url.href);
  return {
    name: `${upper} ${sameOrigin ? url.pathname : full}`,
    op: 'http.client',
    nameSource: 'url',
    parentSpan,
    attributes: { 'http.request.method': upper, 'url.full': full, 'url.path': url.pathname, 'server.address': url.hostname },
  };
}

/**
 * The headers that make `span` (or, without one, the trace itself) the parent downstream, as
 * parts. `sentry-trace` and `sentry-*` baggage with the `sentry` propagator, the trace's other
 * baggage with `baggage`, `traceparent` + `tracestate` (with OpenTelemetry's `ot=th:…;rv:…`) with
 * `tracecontext`. A deferred trace goes with no decision: `sentry-trace` without its flag,
 * `traceparent` without the sampled bit (the random bit still tells its id is random), and no
 * `th`, so each service applies its own rate to the same `sample_rand`.
 */
export function traceParts(propagation: PropagationContext, span: Span | undefined): TraceParts {
  const client = getTracingClient();
  const propagators = client?.options.propagators ?? { sentry: true, tracecontext: client?.options.propagateTraceparent === true, baggage: true };
  const spanId = span?.spanId ?? generateSpanId();
  let sampled = span ? span.sampled : propagation.sampled;
  if (propagation.deferred === true && sampled !== true) sampled = undefined;
  const parts: TraceParts = { sentryBaggage: [], traceBaggage: [] };
  settleTraceState(propagation);
  if (propagators.sentry) {
    parts.sentryTrace = formatSentryTrace(propagation.traceId, spanId, sampled);
    const encoded = formatBaggage(dynamicSamplingContext(propagation, span?.root, client?.options));
    if (encoded !== '') parts.sentryBaggage = encoded.split(',');
  }
  if (propagators.baggage) parts.traceBaggage = propagation.foreignBaggage;
  if (propagators.tracecontext) {
    parts.traceparent = formatTraceparent(propagation.traceId, spanId, sampled === true, propagation.randomTraceId);
    const codec = getTraceStateCodec();
    const tracestate = codec ? codec.format(propagation, sampled) : openTelemetryOnly(propagation, sampled);
    if (tracestate !== '') parts.tracestate = tracestate;
  }
  return parts;
}

/**
 * The `tracestate` a page writes before its engine (and the codec) arrived: isometer's `ot` entry
 * alone, `rv` always and `th` when a known rate decided. A trace the page started has no other
 * members; one it continued passes its caller's on once the codec has read them.
 */
function openTelemetryOnly(propagation: PropagationContext, sampled: boolean | undefined): string {
  const { th, rv } = ownOpenTelemetryEntry(propagation, sampled);
  return rv === undefined ? '' : `ot=${th === undefined ? '' : `th:${th};`}rv:${rv}`;
}

/**
 * Decides for one outgoing request: its `http.client` span (under the active span, else the
 * runtime's fallback parent; none without either), and its headers when the URL matches
 * `tracePropagationTargets` (or the runtime's default). An app that set `sentry-trace` or
 * `traceparent` itself propagates on its own: nothing is added. A header the app set is never
 * overwritten; its `baggage` is merged (see {@link mergeOutgoingBaggage}). Undefined when there is
 * no active client or tracing is suppressed.
 *
 * @example
 * const plan = planOutgoingRequest({ method: 'GET', url, header: (name) => headers.get(name) ?? undefined }, runtime);
 * for (const name in plan?.headers) headers.set(name, plan.headers[name]);
 */
export function planOutgoingRequest(request: OutgoingRequest, runtime: OutgoingRuntime): OutgoingPlan | undefined {
  const client = getTracingClient();
  if (client === undefined || isTracingSuppressed()) return undefined;
  const url = parseUrl(request.url);
  if (url === undefined) return { span: undefined, headers: undefined };
  const parent = getActiveSpan() ?? runtime.fallbackParent?.();
  const span = parent ? startInactiveSpan(outgoingSpanOptions(request.method, url, runtime.sameOrigin(url), parent)) : undefined;

  const targets = client.options.tracePropagationTargets;
  const matches = targets ? matchesPropagationTargets(url.href, targets) || (request.rawUrl !== undefined && matchesPropagationTargets(request.rawUrl, targets)) : runtime.propagatesByDefault(url);
  const appPropagates = request.header('sentry-trace') !== undefined || request.header('traceparent') !== undefined;
  if (!matches || appPropagates) return { span, headers: undefined };

  const trace = span ? { propagation: span.propagation, span } : currentTrace();
  const parts = traceParts(trace.propagation, trace.span);
  const headers: Record<string, string> = {};
  if (parts.sentryTrace) headers['sentry-trace'] = parts.sentryTrace;
  if (parts.traceparent) headers.traceparent = parts.traceparent;
  if (parts.tracestate && request.header('tracestate') === undefined) headers.tracestate = parts.tracestate;
  const appBaggage = request.header('baggage');
  const baggage = mergeOutgoingBaggage(appBaggage, parts.sentryBaggage, parts.traceBaggage);
  if (baggage.added !== undefined && baggage.value !== undefined) headers.baggage = baggage.value;
  return { span, headers, baggageAdded: appBaggage !== undefined ? baggage.added : undefined };
}
