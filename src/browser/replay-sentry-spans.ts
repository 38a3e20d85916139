import { debugLogger } from '../core/internal/debug-logger';
import type { ExternalSpan } from '../core/internal/tracing-bridge';
import type { SpanData } from '../core/trace/span-data';

/** What replaying needs of a Sentry SDK module (`@sentry/browser`, Sentry's script tag). */
export interface SentryReplayModule {
  startInactiveSpan(options: Record<string, unknown>): ExternalSpan;
  withScope<T>(callback: (scope: { setPropagationContext?(context: Record<string, unknown>): void }) => T): T;
}

/** True when `sentry` can take replayed spans. */
export function canReplaySpans(sentry: unknown): sentry is SentryReplayModule {
  const candidate = sentry as Partial<Record<keyof SentryReplayModule, unknown>> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.startInactiveSpan === 'function' && typeof candidate.withScope === 'function';
}

/** Sentry's span status codes (its `SPAN_STATUS_*`): unset, ok, error. */
const STATUS_CODES = { unset: 0, ok: 1, error: 2 } as const;

/**
 * Hands spans isometer finished before the page's Sentry glue loaded to Sentry, as if Sentry had
 * made them: same trace, span and parent ids, times, status and attributes. A span whose parent
 * is among them becomes that parent's child; any other continues its trace under its parent span
 * id, kept (isometer already sampled it). Parents start first and end last, as Sentry's
 * transactions expect. Returns how many Sentry took; never throws.
 *
 * @example
 * replaySentrySpans(Sentry, pendingSpans);
 */
export function replaySentrySpans(sentry: SentryReplayModule, spans: SpanData[]): number {
  const byId = new Map<string, SpanData>();
  for (const span of spans) byId.set(span.spanId, span);
  const children = new Map<string, SpanData[]>();
  const order: SpanData[] = [];
  for (const span of spans) {
    if (span.parentSpanId !== undefined && byId.has(span.parentSpanId) && span.parentSpanId !== span.spanId) {
      const siblings = children.get(span.parentSpanId) ?? [];
      siblings.push(span);
      children.set(span.parentSpanId, siblings);
    } else order.push(span);
  }
  // Breadth first from the local roots: every parent is made before its children.
  for (let i = 0; i < order.length; i++) order.push(...(children.get(order[i].spanId) ?? []));
  const made: Array<[ExternalSpan, SpanData]> = [];
  const madeById = new Map<string, ExternalSpan>();
  for (const span of order) {
    try {
      const external = start(sentry, span, span.parentSpanId !== undefined ? madeById.get(span.parentSpanId) : undefined);
      external.setStatus({ code: STATUS_CODES[span.status] ?? 0, message: span.statusMessage });
      madeById.set(span.spanId, external);
      made.push([external, span]);
    } catch (error) {
      debugLogger.internalError('replaying a span into Sentry', error);
    }
  }
  let replayed = 0;
  for (let i = made.length - 1; i >= 0; i--) {
    try {
      made[i][0].end(made[i][1].endTimeMs);
      replayed++;
    } catch (error) {
      debugLogger.internalError('replaying a span into Sentry', error);
    }
  }
  return replayed;
}

function start(sentry: SentryReplayModule, span: SpanData, parent: ExternalSpan | undefined): ExternalSpan {
  // `spanId` is not in Sentry's documented options, but its span takes it: the ids that went out
  // in headers and exemplars stay the trace's. A Sentry that ignores it gives new ids, nothing worse.
  const options = { name: span.name, op: span.op, attributes: span.attributes, startTime: span.startTimeMs, spanId: span.spanId };
  if (parent !== undefined) return sentry.startInactiveSpan({ ...options, parentSpan: parent });
  return sentry.withScope((scope) => {
    scope.setPropagationContext?.({ traceId: span.traceId, parentSpanId: span.parentSpanId, sampled: true, sampleRand: span.sampleRand ?? Math.random() });
    return sentry.startInactiveSpan({ ...options, parentSpan: null });
  });
}
