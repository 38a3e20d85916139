import type { TelemetrySnapshot } from './telemetry-snapshot';

/** The sampling decision one side's data shows for a trace. */
export type TraceDecision = 'sampled' | 'not sampled' | 'unknown' | 'conflict';

/** What one side's data says about one trace. */
export interface TraceEvidence {
  traceId: string;
  /** Spans in the trace. */
  spans: number;
  /** Metric points with an exemplar in the trace. */
  points: number;
  decision: TraceDecision;
}

/**
 * Groups a side's data by trace: spans by their trace id, metric points by their exemplars'.
 * The decision comes from span and exemplar `sampled` flags (an exported span says sampled; an
 * exemplar says either, or nothing when its backend does not carry the flag, as in OTLP);
 * flags that disagree are a `conflict`, which means some code did not follow the trace's decision.
 *
 * @example
 * traceEvidence(snapshot).get(traceId)?.decision; // → 'sampled'
 */
export function traceEvidence(snapshot: TelemetrySnapshot): Map<string, TraceEvidence> {
  const votes = new Map<string, { spans: number; points: number; sampled: Set<boolean> }>();
  const entry = (traceId: string) => {
    let found = votes.get(traceId);
    if (found === undefined) {
      found = { spans: 0, points: 0, sampled: new Set() };
      votes.set(traceId, found);
    }
    return found;
  };
  for (const span of snapshot.spans) {
    if (typeof span.traceId !== 'string') continue;
    const trace = entry(span.traceId);
    trace.spans++;
    if (typeof span.sampled === 'boolean') trace.sampled.add(span.sampled);
  }
  for (const point of snapshot.points) {
    const seen = new Set<string>();
    for (const exemplar of point.exemplars ?? []) {
      if (typeof exemplar?.traceId !== 'string') continue;
      const trace = entry(exemplar.traceId);
      if (!seen.has(exemplar.traceId)) trace.points++;
      seen.add(exemplar.traceId);
      if (typeof exemplar.sampled === 'boolean') trace.sampled.add(exemplar.sampled);
    }
  }
  const evidence = new Map<string, TraceEvidence>();
  for (const [traceId, trace] of votes) {
    const decision: TraceDecision = trace.sampled.size > 1 ? 'conflict' : trace.sampled.has(true) ? 'sampled' : trace.sampled.has(false) ? 'not sampled' : 'unknown';
    evidence.set(traceId, { traceId, spans: trace.spans, points: trace.points, decision });
  }
  return evidence;
}
