import type { PropagationContext, TraceState, TraceStateCodec } from '../../internal/propagation-context';
import { formatOpenTelemetryTraceState, ownOpenTelemetryEntry, parseOpenTelemetryTraceState, rateFromThreshold, sampleRandFromRandomness } from './consistent-sampling';
import { formatTracestate, parseTracestate, setTracestateMember } from './tracestate';
import { consistent } from '../incoming';

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
 * // A page's front kept the tracestate of its meta tags unread; its engine's client brought this:
 * traceStateCodec.settle(propagation); // [['ot', 'th:8;rv:7f0000000000a1'], ['rojo', '1']]; an unsampled
 * // trace's drawn sample_rand becomes 0.5039062499999977 (rv), its rate 0.5 (th)
 */
export const traceStateCodec: TraceStateCodec = {
  settle(propagation) {
    const unread = propagation.unreadTracestate;
    if (unread === undefined) return;
    const state = parseTracestate(unread);
    propagation.unreadTracestate = undefined;
    propagation.tracestate = state;
    if (propagation.sampleRandDrawn !== true) return;
    propagation.sampleRandDrawn = undefined;
    // An inconsistent ot entry is ignored, as tracestate-probability-sampling asks.
    const openTelemetry = parseOpenTelemetryTraceState(memberValue(state, OPEN_TELEMETRY_KEY));
    const rate = propagation.sampleRate ?? rateFromThreshold(openTelemetry.th);
    const rand = sampleRandFromRandomness(openTelemetry.rv);
    if (rand === undefined || !consistent(propagation.sampled, rand, rate)) return;
    propagation.sampleRand = rand;
    propagation.randomness = openTelemetry.rv;
    propagation.sampleRate = rate;
    if (propagation.dsc !== undefined) propagation.dsc.sample_rand = String(rand);
  },
  format(propagation: PropagationContext, sampled: boolean | undefined): string {
    const incoming = parseOpenTelemetryTraceState(memberValue(propagation.tracestate, OPEN_TELEMETRY_KEY));
    const value = formatOpenTelemetryTraceState({ ...ownOpenTelemetryEntry(propagation, sampled), other: incoming.other });
    return formatTracestate(value === '' ? propagation.tracestate : setTracestateMember(propagation.tracestate, OPEN_TELEMETRY_KEY, value));
  },
};
