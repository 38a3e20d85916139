import { debugLogger } from '../internal/debug-logger';
import { externalSampled, type SentryTracingLike } from '../internal/tracing-bridge';
import type { BridgedTracing } from './bridged-tracing-api';
import { roundedSampleRand } from './create-span';
import { Span, type SpanEndTarget } from './span';

/**
 * A span Sentry creates (so Sentry's sampler decides and its ids are the trace's), mirrored by an
 * isometer span that forwards attributes, status and end to it.
 */
function createSpan(bridge: SentryTracingLike, options: Parameters<BridgedTracing['createSpan']>[1], parent: Span | undefined, newTrace: boolean, endTarget: SpanEndTarget | undefined): Span {
  const external = bridge.startInactiveSpan({
    name: options.name,
    op: options.op,
    attributes: options.attributes,
    startTime: options.startTime,
    ...(parent?.external ? { parentSpan: parent.external } : newTrace ? { parentSpan: null } : {}),
  });
  const { traceId, spanId } = external.spanContext();
  const sampled = externalSampled(external);
  const propagation = parent?.propagation.traceId === traceId ? parent.propagation : { traceId, sampled, sampleRand: roundedSampleRand(), foreignBaggage: [], randomTraceId: false };
  return new Span(
    {
      traceId,
      spanId,
      parentSpanId: parent?.spanId,
      sampled,
      propagation,
      root: parent?.root,
      name: options.name,
      nameSource: options.nameSource,
      op: options.op,
      attributes: options.attributes as Record<string, string>,
      startTimeMs: options.startTime,
      external,
    },
    endTarget,
  );
}

/** Continues incoming headers in Sentry's way, so Sentry's spans inside `fn` join the caller's trace. */
function continueTrace<T>(bridge: SentryTracingLike, sentryTrace: string | undefined, baggage: string | undefined, fn: () => T): T {
  let started = false;
  try {
    return bridge.continueTrace!({ sentryTrace, baggage }, () => {
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

/**
 * Tracing while Sentry owns it, set on the carrier with the bridge (see `attachTracingBridge`).
 *
 * @example
 * setTracingBridge(Sentry, bridgedTracing);
 */
export const bridgedTracing: BridgedTracing = { createSpan, continueTrace };
