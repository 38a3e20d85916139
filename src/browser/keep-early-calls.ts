import { debugLogger } from '../core/internal/debug-logger';
import type { FrontClient } from './front-client';
import { pageStorage } from './page-storage';

/** Each page hidden before its engine loaded keeps its calls in one storage item under this prefix; the next engine to start replays them. */
export const EARLY_KEY_PREFIX = 'isometer:early:';
/** And the sampled spans it ended, left at `pagehide`, as span data for the next engine's exporters. */
export const EARLY_SPANS_KEY_PREFIX = 'isometer:early-spans:';

/**
 * While the engine chunk loads, a page that is hidden or left must not lose the calls its front
 * kept: at `visibilitychange` → hidden and at `pagehide` they go to the origin's storage, and the
 * engine that starts next (this page's, if it still loads, or the next page's) replays them,
 * removing each item as it reads it (see `takeKeptEarlyCalls`). A call that cannot be stored
 * (no storage, full, an attribute JSON cannot hold) is counted as `queue_overflow`; so are spans
 * still waiting at `pagehide`, which are not stored. Once the engine is in, they do nothing.
 */
export function keepEarlyCallsWhenHidden(front: FrontClient): void {
  if (typeof document === 'undefined' || typeof addEventListener !== 'function') return;
  const onHide = (event: Event): void => {
    // Once the engine is in, its own page-hide flush takes over (the listeners stay: two cheap checks).
    if (front.engine !== undefined) return;
    const leaving = event.type === 'pagehide';
    if (!leaving && document.visibilityState !== 'hidden') return;
    keepEarlyCalls(front);
    if (!leaving) return;
    endWaitingRequests(front);
    if (front.spans.length > 0) keepEarlySpans(front);
  };
  try {
    document.addEventListener('visibilitychange', onHide, true);
    addEventListener('pagehide', onHide, true);
  } catch (error) {
    debugLogger.internalError('browser: keeping early calls', error);
  }
}

function keepEarlyCalls(front: FrontClient): void {
  const calls = front.aggregator.take();
  if (calls.length === 0) return;
  try {
    const kept = calls.map(([op, name, value, unit, attributes, time, context, where]) => {
      // The context as plain data: the scoped attributes and the trace the call was made in.
      const trace = context?.trace;
      return [
        op,
        name,
        value,
        unit,
        attributes,
        time,
        context && { scope: context.scope, trace: trace && { traceId: trace.traceId, spanId: trace.spanId, sampled: trace.sampled, sampleRate: trace.sampleRate } },
        where,
      ];
    });
    keep(EARLY_KEY_PREFIX, kept);
  } catch {
    // No storage, no room, or attributes JSON cannot hold (a cycle): counted, never thrown.
    front.drops.record('queue_overflow', calls.length);
    debugLogger.warnOnce(
      'early:storage',
      process.env.NODE_ENV !== 'production' && `the page was hidden before isometer had loaded, and the ${calls.length} metric call(s) made meanwhile could not be kept in storage; they were dropped.`,
    );
  }
}

/**
 * Requests that ended while the engine was loading wait for it to record them; a page left first
 * ends their spans at the times the requests ended, so they are kept with the others, and counts
 * their `http.client.request.duration` points lost (`queue_overflow`): the code that builds them
 * is the engine's.
 */
function endWaitingRequests(front: FrontClient): void {
  for (const [request, , , endClock] of front.endedRequests.splice(0)) {
    const span = request.span;
    span?.end(span.wallTimeAt(endClock));
    front.drops.record('queue_overflow');
  }
}

/** At `pagehide`: the sampled spans' data goes to storage for the next engine; their `span.duration` points are counted as lost. */
function keepEarlySpans(front: FrontClient): void {
  const spans = front.spans;
  front.spans = [];
  front.drops.record('queue_overflow', spans.length);
  const sampled = spans.filter((span) => span.sampled === true);
  try {
    if (sampled.length > 0)
      keep(
        EARLY_SPANS_KEY_PREFIX,
        sampled.map((span) => span.toData()),
      );
  } catch {
    // The spans themselves are lost too.
    front.drops.record('queue_overflow', sampled.length);
  }
}

/** One storage item under `prefix`, named so that items sort oldest first; throws when it cannot be kept. */
function keep(prefix: string, data: unknown): void {
  pageStorage()!.setItem(`${prefix}${Date.now()}-${Math.random().toString(36).slice(2)}`, JSON.stringify(data));
}
