import { getClient } from '../core/sdk/get-client';
import { formatBaggage, parseBaggage } from '../core/trace/codecs/baggage';
import { matchesPropagationTargets } from '../core/trace/propagation-targets';
import type { Span } from '../core/trace/span';
import { getActiveSpan, startInactiveSpan } from '../core/trace/start-span';
import { getTraceHeaders, traceHeadersFor } from '../core/trace/trace-headers';
import { isSentryActive } from './sentry';
import { isTracingSuppressed } from '../core/trace/suppress-tracing';

/** What the fetch and http.request instrumentations know about a request about to go out. */
export interface OutgoingRequest {
  method: string;
  /** Absolute URL, query included (targets may match on it). */
  url: string;
  /** A header the caller already set, case-insensitively, repeated values joined with commas. */
  header(name: string): string | undefined;
}

/** What to do with an outgoing request: the span that times it, and the headers to set. */
export interface OutgoingPlan {
  span: Span | undefined;
  /** Header name → value to set (a `baggage` value already merged with the caller's). */
  headers: Record<string, string> | undefined;
}

/** The URL without query and fragment: span names and attributes must not carry query data. */
export function urlWithoutQuery(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/**
 * Decides for one outgoing request. No client, suppressed tracing, or an initialised Sentry SDK
 * (which owns injection then) means nothing at all. Otherwise an `http.client` span is started
 * when a span is active (as Sentry does, a request made outside any span gets no span of its
 * own), and headers are planned for URLs matching `tracePropagationTargets` (Node default: all)
 * unless the caller already propagates (`sentry-trace` or `traceparent` set).
 */
export function planOutgoingRequest(request: OutgoingRequest): OutgoingPlan | undefined {
  const client = getClient();
  if (client === undefined || !client.isActive || isTracingSuppressed() || isSentryActive()) return undefined;
  const method = request.method.toUpperCase();
  const cleanUrl = urlWithoutQuery(request.url);
  const span = getActiveSpan()
    ? startInactiveSpan({
        name: `${method} ${cleanUrl}`,
        op: 'http.client',
        nameSource: 'url',
        attributes: { 'http.request.method': method, 'url.full': cleanUrl, 'server.address': hostOf(request.url) },
      })
    : undefined;
  const targets = client.options.tracePropagationTargets;
  const alreadyPropagated = request.header('sentry-trace') !== undefined || request.header('traceparent') !== undefined;
  if (alreadyPropagated || (targets !== undefined && !matchesPropagationTargets(request.url, targets))) return { span, headers: undefined };

  const trace = span ? traceHeadersFor(span.propagation, span) : getTraceHeaders();
  const headers: Record<string, string> = {};
  if (trace['sentry-trace']) headers['sentry-trace'] = trace['sentry-trace'];
  const baggage = mergeBaggage(request.header('baggage'), trace.baggage);
  if (baggage) headers.baggage = baggage;
  if (trace.traceparent) headers.traceparent = trace.traceparent;
  if (trace.tracestate && request.header('tracestate') === undefined) headers.tracestate = trace.tracestate;
  return { span, headers };
}

function memberKey(member: string): string {
  const end = member.search(/[ \t=;]/);
  return end === -1 ? member : member.slice(0, end);
}

/**
 * The caller's `baggage` with this trace's entries: the trace's `sentry-*` entries replace any
 * the caller set (one dynamic sampling context per request, matching the `sentry-trace` sent),
 * the caller's other members come next unchanged, then the trace's foreign members whose keys the
 * caller did not set.
 */
export function mergeBaggage(existing: string | undefined, ours: string): string {
  if (existing === undefined || existing.trim() === '') return ours;
  const caller = parseBaggage(existing);
  const trace = parseBaggage(ours);
  const callerKeys = new Set(caller.foreign.map(memberKey));
  const foreign = [...caller.foreign, ...trace.foreign.filter((member) => !callerKeys.has(memberKey(member)))];
  return formatBaggage(trace.sentry, foreign);
}

/** Sets the response status on a client span and ends it; no response at all is an error. */
export function endOutgoingSpan(span: Span, statusCode: number | undefined, errorMessage?: string): void {
  if (statusCode !== undefined) span.setAttribute('http.response.status_code', statusCode);
  if (errorMessage !== undefined) span.setStatus('error', errorMessage);
  else if (statusCode === undefined) span.setStatus('error', 'no response');
  else if (statusCode >= 500) span.setStatus('error', `HTTP ${statusCode}`);
  span.end();
}
