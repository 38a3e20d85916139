import { parseBaggage } from './codecs/baggage';
import { roundedSampleRand } from './create-span';
import type { PropagationContext } from '../internal/propagation-context';
import { parseSentryTrace } from './codecs/sentry-trace';
import { parseTraceparent } from './codecs/traceparent';
import { parseTracestate } from './codecs/tracestate';

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
 * ones, which start a new trace). `sentry-trace` wins over `traceparent`; `sentry-*` baggage is
 * taken only when its trace id matches. `sample_rand` is kept when it agrees with the caller's
 * decision and rate, and otherwise made to agree, so that re-sampling here reproduces the caller's
 * decision (https://develop.sentry.dev/sdk/telemetry/traces/#propagated-random-value).
 */
export function propagationFromHeaders(headers: IncomingHeaders): PropagationContext | undefined {
  const sentryTrace = parseSentryTrace(readHeader(headers, 'sentry-trace'));
  const traceparent = parseTraceparent(readHeader(headers, 'traceparent'));
  const incoming = sentryTrace ?? traceparent;
  if (!incoming) return undefined;
  // tracestate belongs to the traceparent it came with (W3C Trace Context §3.3): keep it only
  // when that traceparent is valid and names the trace being continued.
  const w3c = traceparent !== undefined && traceparent.traceId === incoming.traceId ? traceparent : undefined;
  const tracestate = w3c ? parseTracestate(readHeader(headers, 'tracestate')) : undefined;
  const baggage = parseBaggage(readHeader(headers, 'baggage'));
  const sentryEntries = baggage.sentry;
  const dsc = Object.keys(sentryEntries).length > 0 && (sentryEntries.trace_id === undefined || sentryEntries.trace_id === incoming.traceId) ? sentryEntries : undefined;

  let sampled = incoming.sampled;
  if (sampled === undefined && (dsc?.sampled === 'true' || dsc?.sampled === 'false')) sampled = dsc.sampled === 'true';
  const sampleRate = probability(dsc?.sample_rate, true);
  let sampleRand = probability(dsc?.sample_rand, false);
  const agrees = sampleRand !== undefined && (sampled === undefined || sampleRate === undefined || sampled === sampleRand < sampleRate);
  if (!agrees) sampleRand = consistentSampleRand(sampled, sampleRate);

  return {
    traceId: incoming.traceId,
    parentSpanId: incoming.parentSpanId,
    sampled,
    sampleRand: sampleRand as number,
    sampleRate,
    dsc: dsc ? { ...dsc, trace_id: incoming.traceId } : undefined,
    foreignBaggage: baggage.foreign,
    tracestate,
    randomTraceId: w3c?.randomTraceId ?? false,
  };
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
