/**
 * A parsed W3C `tracestate`: its list-members as `[key, value]` pairs, left-most first. The
 * left-most entry belongs to the vendor that wrote the accompanying `traceparent`.
 */
export type TraceState = ReadonlyArray<readonly [key: string, value: string]>;

/**
 * The trace-wide state one runtime holds for a trace: what it received from its caller (or
 * decided itself as the root), and what it passes on.
 */
export interface PropagationContext {
  traceId: string;
  /** The caller's span this runtime continues from, when the trace came in through headers. */
  parentSpanId?: string;
  /** The sampling decision; undefined while deferred to whoever decides first. */
  sampled: boolean | undefined;
  /** The trace's random number in [0, 1): every service compares its rate against the same one. */
  sampleRand: number;
  /** The rate the decision was made with. */
  sampleRate?: number;
  /** Incoming `sentry-*` baggage entries (without the prefix): frozen, passed on unchanged. */
  dsc?: Record<string, string>;
  /** Other vendors' baggage members, passed through untouched. */
  foreignBaggage: string[];
  /** Other vendors' tracestate members, passed through untouched. */
  tracestate?: TraceState;
  /**
   * An incoming `tracestate` not yet read because the runtime had no {@link TraceStateCodec} yet
   * (a page before its engine arrived): read, and `sampleRand` taken from its `ot=rv` where that
   * agrees, once one is there (see `settleTraceState`).
   */
  unreadTracestate?: string;
  /** `sampleRand` was drawn here (the caller sent none that agreed): `ot=rv` may still replace it. */
  sampleRandDrawn?: boolean;
  /** The OpenTelemetry `ot=rv` randomness `sampleRand` was read from: forwarded unchanged. */
  randomness?: string;
  /**
   * With `unsampledPropagation: 'deferred'`: this runtime's "not sampled" stays local, and the
   * trace travels on with no decision, so the next service applies its own rate.
   */
  deferred?: boolean;
  /** True when this runtime made the trace id randomly (W3C Trace Context Level 2 "random" flag). */
  randomTraceId: boolean;
}

/**
 * W3C `tracestate` and OpenTelemetry's `ot` entry (`th`, `rv`): validating, merging and the
 * fixed-point arithmetic of tracestate-probability-sampling. Node has it from the start; a page's
 * front goes without it (a trace it starts needs only `ot=th:…;rv:…`, which outgoing.ts writes
 * itself) and gets it with the engine.
 */
export interface TraceStateCodec {
  /**
   * Reads `propagation.unreadTracestate`, if any: keeps the valid state to pass on and, when
   * `sample_rand` was drawn here (`sampleRandDrawn`), takes OpenTelemetry's `ot=rv` instead where it
   * agrees with the decision and rate (`th` standing in for a missing rate).
   */
  settle(propagation: PropagationContext): void;
  /** The outgoing `tracestate`: the trace's, with isometer's `ot` entry in front ('' for none). */
  format(propagation: PropagationContext, sampled: boolean | undefined): string;
}
