/**
 * The header families isometer writes and reads: `sentry` (`sentry-trace` and the `sentry-*`
 * baggage entries), `tracecontext` (`traceparent`, `tracestate`), `baggage` (every other
 * `baggage` member, passed through). Node's `OTEL_PROPAGATORS` may change them.
 */
export interface Propagators {
  sentry: boolean;
  tracecontext: boolean;
  baggage: boolean;
}
