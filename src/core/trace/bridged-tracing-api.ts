import { getBridgedTracing as getFromCarrier, getTracingBridge } from '../carrier';
import type { Span, SpanEndTarget, SpanNameSource } from './span';
import type { SentryTracingLike } from '../internal/tracing-bridge';

/**
 * While Sentry owns tracing, spans are made and traces continued through it (trace/bridged-tracing.ts).
 * That code is set on the carrier with the bridge, so a page's front, which never owns a bridge
 * before its engine, does not load it.
 */
export interface BridgedTracing {
  createSpan(
    bridge: SentryTracingLike,
    options: { name: string; op?: string; attributes: Record<string, unknown>; startTime?: number; nameSource?: SpanNameSource },
    parent: Span | undefined,
    newTrace: boolean,
    endTarget: SpanEndTarget | undefined,
  ): Span;
  /** `sentryTrace` and `baggage`: the incoming headers' values. */
  continueTrace<T>(bridge: SentryTracingLike, sentryTrace: string | undefined, baggage: string | undefined, fn: () => T): T;
}

/**
 * The Sentry SDK that owns tracing and the code that traces through it, or undefined.
 *
 * @example
 * const owned = getBridgedTracing();
 * if (owned) return owned.tracing.continueTrace(owned.bridge, sentryTrace, baggage, fn);
 */
export function getBridgedTracing(): { bridge: SentryTracingLike; tracing: BridgedTracing } | undefined {
  const bridge = getTracingBridge();
  const tracing = getFromCarrier() as BridgedTracing | undefined;
  return bridge !== undefined && tracing !== undefined ? { bridge, tracing } : undefined;
}
