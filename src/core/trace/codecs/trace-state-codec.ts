import type { PropagationContext, TraceState, TraceStateCodec } from '../../internal/propagation-context';
import { formatOpenTelemetryTraceState, ownOpenTelemetryEntry, parseOpenTelemetryTraceState, rateFromThreshold, sampleRandFromRandomness } from './consistent-sampling';
import { formatTracestate, parseTracestate, setTracestateMember } from './tracestate';

/** The `tracestate` key of OpenTelemetry's entry (tracestate-handling). */
export const OPEN_TELEMETRY_KEY = 'ot';

function memberValue(state: TraceState | undefined, key: string): string | undefined {
  if (state === undefined) return undefined;
  for (const [memberKey, value] of state) if (memberKey === key) return value;
  return undefined;
}

/**
 * The whole of W3C `tracestate` and OpenTelemetry's `ot` entry, as the carrier holds it (see
 * {@link TraceStateCodec}): a client registers it, so a page loads it with its engine.
 *
 * @example
 * setTraceStateCodec(traceStateCodec);
 * traceStateCodec.readOpenTelemetry(traceStateCodec.parse('ot=th:8;rv:7f0000000000a1,other=1'));
 * // { rate: 0.5, rand: 0.5039062499999977, rv: '7f0000000000a1' }
 */
export const traceStateCodec: TraceStateCodec = {
  parse: parseTracestate,
  readOpenTelemetry(state) {
    const openTelemetry = parseOpenTelemetryTraceState(memberValue(state, OPEN_TELEMETRY_KEY));
    return { rate: rateFromThreshold(openTelemetry.th), rand: sampleRandFromRandomness(openTelemetry.rv), rv: openTelemetry.rv };
  },
  format(propagation: PropagationContext, sampled: boolean | undefined): string {
    const incoming = parseOpenTelemetryTraceState(memberValue(propagation.tracestate, OPEN_TELEMETRY_KEY));
    const value = formatOpenTelemetryTraceState({ ...ownOpenTelemetryEntry(propagation, sampled), other: incoming.other });
    return formatTracestate(value === '' ? propagation.tracestate : setTracestateMember(propagation.tracestate, OPEN_TELEMETRY_KEY, value));
  },
};
