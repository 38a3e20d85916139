import type { Attributes } from '../internal/attributes';

/** What a sampler is told about the span it decides for. */
export interface SamplingContext {
  name: string;
  op?: string;
  attributes: Attributes;
  /** On a server, the incoming request's URL (path and query, as `request.url` has it) for its request span. */
  url?: string;
  /** The caller's decision, when the trace was continued from incoming headers. */
  parentSampled?: boolean;
  /** The rate the caller sampled with, from its baggage. */
  parentSampleRate?: number;
  /** The parent's decision when there is one, else `fallback`. */
  inheritOrSampleWith(fallback: number): number;
}

/** The options tracing reads (a part of `init`'s options). */
export interface TracingOptions {
  /** A Sentry DSN: adds the Sentry exporter, and initialises Sentry when the app has not. */
  dsn?: string;
  release?: string;
  environment?: string;
  /** Share of new traces kept, 0…1. */
  tracesSampleRate?: number;
  /** Decides per root span; its return (0…1 or a boolean) overrides `tracesSampleRate`. */
  tracesSampler?: (context: SamplingContext) => number | boolean;
  /** URLs that get trace headers: strings match as substrings, RegExps by test. */
  tracePropagationTargets?: Array<string | RegExp>;
  /** Also send W3C `traceparent`/`tracestate` (with OpenTelemetry's `ot=th:…;rv:…`). Default false. */
  propagateTraceparent?: boolean;
  /**
   * What a trace this runtime's root did not keep carries downstream. `'decided'` (default): "not
   * sampled", which every service follows. `'deferred'`: its trace id and `sample_rand` with no
   * decision, so each backend applies its own rate to the same number (one with a higher rate
   * keeps a superset of what the page kept).
   */
  unsampledPropagation?: 'decided' | 'deferred';
}
