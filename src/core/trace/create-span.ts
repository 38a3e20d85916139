import { sanitizeAttributes, type Attributes } from '../internal/attributes';
import type { ActiveContext } from '../internal/context';
import { getAmbientPropagation, getContextManager } from '../carrier';
import { getBridgedTracing } from './bridged-tracing-api';
import { debugLogger } from '../internal/debug-logger';
import { generateSampleRand, generateSpanId, generateTraceId } from './codecs/ids';
import type { PropagationContext } from '../internal/propagation-context';
import { decideSampling } from './sampler';
import { Span, type SpanNameSource, isSpan } from './span';
import { getTracingClient } from './tracing-client';

const NO_ATTRIBUTES: Attributes = /* @__PURE__ */ Object.freeze({}) as Attributes;

/** Options of `startSpan` and `startInactiveSpan`. */
export interface StartSpanOptions {
  name: string;
  /** The operation, e.g. `http.client`, `db.query`, `ttfb`. */
  op?: string;
  attributes?: Record<string, unknown>;
  /** Epoch milliseconds, when the span started before this call. */
  startTime?: number;
  /** The parent to use instead of the active span; `null` starts a new trace. */
  parentSpan?: Span | null;
  /** Where the name came from; `url` keeps it out of `sentry-transaction`. Default `custom`. */
  nameSource?: SpanNameSource;
  /** A server's request span: the incoming request's URL (path and query), handed to `tracesSampler`. */
  url?: string;
}

/** A fresh trace of this runtime's own, not yet decided. */
export function createRootPropagation(): PropagationContext {
  return { traceId: generateTraceId(), sampled: undefined, sampleRand: roundedSampleRand(), foreignBaggage: [], randomTraceId: true };
}

/**
 * `sample_rand` with the 6 decimals it travels with in baggage, so this runtime compares its rate
 * against exactly the number every downstream service will see.
 */
export function roundedSampleRand(): number {
  return Math.floor(generateSampleRand() * 1e6) / 1e6;
}

/**
 * Makes a span under the active span (or the given parent), or as the local root of the active
 * continued trace, the page's trace, or a new trace, and the context it is active in. A local root
 * asks the sampler; a child takes its parent's decision. `active` stands in for the active context
 * (request instrumentation passes the continued trace without switching context to it first).
 */
export function createSpan(options: StartSpanOptions, where: string, active: ActiveContext | undefined = getContextManager().active()): { span: Span; context: ActiveContext } {
  const valid = typeof options === 'object' && options !== null;
  let name = valid ? options.name : undefined;
  if (typeof name !== 'string' || name.length === 0) {
    debugLogger.warnOnce(`${where}:name`, process.env.NODE_ENV !== 'production' && `${where}({ name }): name must be a non-empty string; the span was named "<unnamed>".`);
    name = '<unnamed>';
  }
  const op = valid && typeof options.op === 'string' ? options.op : undefined;
  const rawAttributes = valid ? options.attributes : undefined;
  // Checked only when something reads them: a recording span, a sampler, Sentry. An unsampled
  // span (a server at rate 0 makes one a request) never pays for it.
  let cleanAttributes: Attributes | undefined;
  const attributes = (): Attributes => (cleanAttributes ??= sanitizeAttributes(rawAttributes, where).attributes);
  const startTime = valid && typeof options.startTime === 'number' && Number.isFinite(options.startTime) ? options.startTime : undefined;
  const nameSource = valid ? options.nameSource : undefined;
  const requestedParent = valid ? options.parentSpan : undefined;
  const parent = requestedParent === null ? undefined : isSpan(requestedParent) ? requestedParent : isSpan(active?.span) ? active.span : undefined;
  const client = getTracingClient();

  const owned = getBridgedTracing();
  if (owned !== undefined) {
    const span = owned.tracing.createSpan(owned.bridge, { name, op, attributes: attributes(), startTime, nameSource }, parent, requestedParent === null, client);
    return { span, context: spanContext(active, span) };
  }
  let span: Span;
  if (parent !== undefined) {
    span = new Span(
      {
        traceId: parent.traceId,
        spanId: generateSpanId(),
        parentSpanId: parent.spanId,
        sampled: parent.sampled,
        sampleRate: parent.sampleRate,
        propagation: parent.propagation,
        root: parent.root,
        name,
        nameSource,
        op,
        attributes: parent.sampled === true ? attributes() : NO_ATTRIBUTES,
        startTimeMs: startTime,
      },
      client,
    );
  } else {
    const propagation = (requestedParent === null ? undefined : (active?.propagation ?? getAmbientPropagation())) ?? createRootPropagation();
    const decision = client
      ? decideSampling(client.options, {
          name,
          op,
          attributes: client.options.tracesSampler ? attributes() : NO_ATTRIBUTES,
          url: valid && typeof options.url === 'string' ? options.url : undefined,
          parentSampled: propagation.sampled,
          parentSampleRate: propagation.sampleRate,
          sampleRand: propagation.sampleRand,
        })
      : { sampled: false, sampleRate: 0 };
    // The first local root decides for a deferred trace; later roots in it follow that decision.
    if (propagation.sampled === undefined && decision.sampled !== undefined) {
      propagation.sampled = decision.sampled;
      propagation.sampleRate = decision.sampleRate;
      // unsampledPropagation 'deferred': this "no" stays local and the trace travels on undecided.
      if (decision.sampled === false && client?.options.unsampledPropagation === 'deferred') propagation.deferred = true;
    }
    span = new Span(
      {
        traceId: propagation.traceId,
        spanId: generateSpanId(),
        parentSpanId: propagation.parentSpanId,
        sampled: decision.sampled,
        sampleRate: decision.sampleRate,
        propagation,
        name,
        nameSource,
        op,
        attributes: decision.sampled === true ? attributes() : NO_ATTRIBUTES,
        startTimeMs: startTime,
      },
      client,
    );
  }
  return { span, context: spanContext(active, span) };
}

/** `active` with `span` made the active span: a literal, since a spread with trailing keys is slow on Node 20. */
function spanContext(active: ActiveContext | undefined, span: Span): ActiveContext {
  return { scope: active?.scope, suppressed: active?.suppressed, span, trace: span, propagation: span.propagation };
}
