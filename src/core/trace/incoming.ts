import { getTraceStateCodec } from '../carrier';
import { parseBaggage } from './codecs/baggage';
import { roundedSampleRand } from './create-span';
import type { PropagationContext } from '../internal/propagation-context';
import { parseSentryTrace } from './codecs/sentry-trace';
import { parseTraceparent } from './codecs/traceparent';

import type { Propagators } from './propagators';

const ALL_PROPAGATORS: Propagators = { sentry: true, tracecontext: true, baggage: true };

/** Longer `tracestate` headers are malformed for any reader (tracestate.ts reads at most this). */
const MAX_UNREAD_TRACESTATE = 20480;

/** Incoming headers in any of the shapes hosts use: Fetch `Headers`, Node's `IncomingHttpHeaders`, a plain object. */
export type IncomingHeaders = { get(name: string): string | null } | Record<string, unknown> | null | undefined;

/** Reads one header, case-insensitively, joining repeated values with commas. Never throws. */
export function readHeader(headers: IncomingHeaders, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  try {
    if (typeof (headers as { get?: unknown }).get === 'function') {
      const value = (headers as { get(name: string): unknown }).get(name);
      return typeof value === 'string' ? value : undefined;
    }
    const record = headers as Record<string, unknown>;
    let value = record[name];
    if (value === undefined) {
      for (const key of Object.keys(record)) if (key.toLowerCase() === name) value = record[key];
    }
    if (typeof value === 'string') return value;
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(',');
  } catch {
    // A throwing getter or proxy reads as "no header".
  }
  return undefined;
}

/**
 * The trace that incoming headers continue, or undefined when they carry none (or only malformed
 * ones, which start a new trace); only the header families `propagators` names are read. `sentry-trace` wins over `traceparent`; `sentry-*` baggage is
 * taken only when its trace id matches, and its `sampled` and `sample_rate` only when well formed
 * (a malformed one is not forwarded either).
 *
 * `sample_rand`: the caller's when it is valid and agrees with the caller's decision and rate; else
 * the OpenTelemetry `ot=rv` randomness from `tracestate`; else one drawn to reproduce the caller's
 * decision at the caller's rate, as Sentry's SDKs do
 * (https://develop.sentry.dev/sdk/telemetry/traces/#propagated-random-value). The value decided
 * with is what is forwarded, so every service downstream compares against the same number.
 *
 * @example
 * propagationFromHeaders({ 'sentry-trace': '4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1', baggage: 'sentry-sample_rand=0.2' });
 * // { traceId: '4bf9…', parentSpanId: '00f067aa0ba902b7', sampled: true, sampleRand: 0.2, … }
 */
export function propagationFromHeaders(headers: IncomingHeaders, propagators: Propagators = ALL_PROPAGATORS): PropagationContext | undefined {
  const sentryTrace = propagators.sentry ? parseSentryTrace(readHeader(headers, 'sentry-trace')) : undefined;
  const traceparent = propagators.tracecontext ? parseTraceparent(readHeader(headers, 'traceparent')) : undefined;
  const incoming = sentryTrace ?? traceparent;
  if (!incoming) return undefined;
  // tracestate belongs to the traceparent it came with (W3C Trace Context §3.3): keep it only
  // when that traceparent is valid and names the trace being continued.
  const w3c = traceparent !== undefined && traceparent.traceId === incoming.traceId ? traceparent : undefined;
  const rawTracestate = w3c ? readHeader(headers, 'tracestate') : undefined;
  const baggage = parseBaggage(readHeader(headers, 'baggage'));
  const dsc = propagators.sentry ? dynamicSamplingContext(baggage.sentry, incoming.traceId) : undefined;

  let sampled = incoming.sampled;
  const dscSampled = dsc?.sampled === 'true' ? true : dsc?.sampled === 'false' ? false : undefined;
  // `delete` only of a key that is there: deleting is a slow runtime call even for a missing key.
  if (dsc?.sampled !== undefined && dscSampled === undefined) delete dsc.sampled;
  if (sampled === undefined) sampled = dscSampled;
  const sampleRate = probability(dsc?.sample_rate, true);
  if (dsc?.sample_rate !== undefined && sampleRate === undefined) delete dsc.sample_rate;

  let sampleRand = probability(dsc?.sample_rand, false);
  // Without a caller's sample_rand that agrees with its decision, one is drawn that reproduces the
  // decision; `settleTraceState` then prefers OpenTelemetry's `ot=rv` where that agrees.
  const drawn = !consistent(sampled, sampleRand, sampleRate);
  if (drawn) sampleRand = consistentSampleRand(sampled, sampleRate);
  if (dsc !== undefined) dsc.sample_rand = String(sampleRand);

  const propagation: PropagationContext = {
    traceId: incoming.traceId,
    parentSpanId: incoming.parentSpanId,
    sampled,
    sampleRand: sampleRand as number,
    sampleRate,
    dsc,
    foreignBaggage: propagators.baggage ? baggage.foreign : [],
    randomTraceId: w3c?.randomTraceId ?? false,
  };
  if (rawTracestate !== undefined && rawTracestate.length <= MAX_UNREAD_TRACESTATE) {
    propagation.unreadTracestate = rawTracestate;
    if (drawn) propagation.sampleRandDrawn = true;
    settleTraceState(propagation);
  }
  return propagation;
}

/**
 * The caller's `sentry-*` baggage entries with the trace id being continued, or undefined when it
 * sent none or they belong to another trace. Copied key by key: a spread followed by a key is
 * slow on Node 20, and every incoming request that carries baggage comes through here.
 */
function dynamicSamplingContext(entries: Record<string, string>, traceId: string): Record<string, string> | undefined {
  if (entries.trace_id !== undefined && entries.trace_id !== traceId) return undefined;
  let dsc: Record<string, string> | undefined;
  for (const key in entries) {
    dsc ??= {};
    dsc[key] = entries[key];
  }
  if (dsc !== undefined) dsc.trace_id = traceId;
  return dsc;
}

/**
 * Reads a trace's incoming `tracestate` once the runtime has the codec (at once in Node; in a
 * page, when its engine arrives): see `TraceStateCodec.settle`. Does nothing without the codec or
 * an unread state.
 *
 * @example
 * settleTraceState(getAmbientPropagation()); // the page's trace, once the engine is there
 */
export function settleTraceState(propagation: PropagationContext | undefined): void {
  if (propagation?.unreadTracestate !== undefined) getTraceStateCodec()?.settle(propagation);
}

/** Whether `rand` reproduces the decision at `rate` (anything does when either is unknown). */
export function consistent(sampled: boolean | undefined, rand: number | undefined, rate: number | undefined): boolean {
  return rand !== undefined && (sampled === undefined || rate === undefined || sampled === rand < rate);
}

/** A number in [0, 1] (`inclusive`) or [0, 1), from a baggage string. */
function probability(value: string | undefined, inclusive: boolean): number | undefined {
  if (value === undefined || !/^\s*(0(\.\d+)?|1(\.0*)?|\.\d+)\s*$/.test(value)) return undefined;
  const number = Number(value);
  return number >= 0 && (inclusive ? number <= 1 : number < 1) ? number : undefined;
}

/** A random number that reproduces the caller's decision at the caller's rate. */
function consistentSampleRand(sampled: boolean | undefined, rate: number | undefined): number {
  const random = roundedSampleRand();
  if (sampled === undefined || rate === undefined) return random;
  const scaled = sampled ? random * rate : rate + random * (1 - rate);
  return Math.min(Math.floor(scaled * 1e6) / 1e6, 0.999999);
}
