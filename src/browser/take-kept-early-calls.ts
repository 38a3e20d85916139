import type { ActiveContext } from '../core/internal/context';
import type { EarlyCall } from './early-recorder';
import { EARLY_KEY_PREFIX, EARLY_SPANS_KEY_PREFIX } from './keep-early-calls';
import type { SpanData } from '../core/trace/span-data';
import { takeStoredEntries } from './page-storage';

/**
 * The calls pages of this origin kept in storage because they were hidden before their engine
 * loaded (see `keepEarlyCallsWhenHidden`), oldest page first; each item is removed as it is read,
 * so a call is replayed once. Malformed entries are skipped.
 */
export function takeKeptEarlyCalls(): EarlyCall[] {
  const calls: EarlyCall[] = [];
  for (const entry of takeStoredEntries(EARLY_KEY_PREFIX)) {
    if (!Array.isArray(entry) || (entry[0] !== 0 && entry[0] !== 1 && entry[0] !== 2)) continue;
    const [op, name, value, unit, attributes, time, context, where] = entry as unknown[];
    calls.push([op as 0 | 1 | 2, name, value, unit ?? undefined, isObject(attributes) ? attributes : undefined, Number(time), keptContext(context), typeof where === 'string' ? where : undefined]);
  }
  return calls;
}

function keptContext(value: unknown): ActiveContext | undefined {
  if (!isObject(value)) return undefined;
  const scope = value.scope;
  const trace = value.trace;
  return {
    scope: isObject(scope) && isObject(scope.attributes) && typeof scope.key === 'string' ? (scope as unknown as ActiveContext['scope']) : undefined,
    trace: isObject(trace) && typeof trace.traceId === 'string' && typeof trace.spanId === 'string' ? (trace as unknown as ActiveContext['trace']) : undefined,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The span data pages left at `pagehide` before their engine loaded (see `keepEarlyCallsWhenHidden`), each item removed as it is read. */
export function takeKeptEarlySpans(): SpanData[] {
  const spans: SpanData[] = [];
  for (const entry of takeStoredEntries(EARLY_SPANS_KEY_PREFIX)) if (isObject(entry) && typeof entry.traceId === 'string' && typeof entry.spanId === 'string') spans.push(entry as unknown as SpanData);
  return spans;
}
