import type { MatchResult } from './match-result';
import type { TelemetrySnapshot } from './telemetry-snapshot';
import { traceEvidence, type TraceEvidence } from './trace-evidence';

/**
 * What `toShareTraceWith` checks beyond "some trace appears on both sides with one decision".
 *
 * @example
 * await expect(metrics).toShareTraceWith(metrics.server!, { traceId, sampled: false });
 */
export interface SharedTraceExpectation {
  /** The trace that must be shared (e.g. the page's, from `window` or a `<meta>` tag). */
  traceId?: string;
  /** The decision both sides must show. */
  sampled?: boolean;
}

const MAX_LISTED = 10;

/**
 * Checks that two sides (a page and a server, say) recorded data in the same trace and agree on
 * its sampling decision: some trace (or `traceId`) has spans or exemplars on both sides, each
 * side's data shows one definite decision, and the two decisions are equal (and equal `sampled`
 * when given). A trace whose decision one side cannot tell (OTLP exemplars carry no flag, and an
 * unsampled trace has no spans) does not count.
 *
 * @example
 * matchSharedTrace(pageSnapshot, serverSnapshot, { traceId, sampled: false }, ['page', 'server']).pass;
 */
export function matchSharedTrace(one: TelemetrySnapshot, other: TelemetrySnapshot, expected: SharedTraceExpectation = {}, labels: [string, string] = ['this side', 'the other side']): MatchResult {
  const ours = traceEvidence(one);
  const theirs = traceEvidence(other);
  const candidates = expected.traceId !== undefined ? [expected.traceId] : [...ours.keys()];
  const agreeing = candidates.filter((traceId) => {
    const a = ours.get(traceId);
    const b = theirs.get(traceId);
    if (a === undefined || b === undefined || !definite(a) || a.decision !== b.decision) return false;
    return expected.sampled === undefined || a.decision === (expected.sampled ? 'sampled' : 'not sampled');
  });
  const wanted = [
    expected.traceId !== undefined ? `trace ${expected.traceId}` : 'a trace',
    `shared with ${labels[1]}`,
    expected.sampled === undefined ? 'with the same sampling decision' : `and ${expected.sampled ? 'sampled' : 'not sampled'} on both sides`,
  ].join(' ');
  const shared = [...ours.keys()].filter((traceId) => theirs.has(traceId));
  const lines = [
    agreeing.length > 0 ? `agreeing trace${agreeing.length === 1 ? '' : 's'}: ${agreeing.slice(0, MAX_LISTED).join(', ')}` : `no trace on both sides agrees`,
    `${labels[0]}: ${describeTraces(ours, expected.traceId)}`,
    `${labels[1]}: ${describeTraces(theirs, expected.traceId)}`,
    shared.length > 0
      ? `on both sides: ${shared
          .slice(0, MAX_LISTED)
          .map((traceId) => `${traceId} (${ours.get(traceId)!.decision} / ${theirs.get(traceId)!.decision})`)
          .join(', ')}`
      : 'no trace id appears on both sides',
  ];
  return { pass: agreeing.length > 0, expected: wanted, actual: lines.join('\n') };
}

function definite(evidence: TraceEvidence): boolean {
  return evidence.decision === 'sampled' || evidence.decision === 'not sampled';
}

function describeTraces(evidence: Map<string, TraceEvidence>, focus: string | undefined): string {
  if (evidence.size === 0) return 'no traces (no spans, no exemplars)';
  const list = focus !== undefined && evidence.has(focus) ? [evidence.get(focus)!] : [...evidence.values()];
  const shown = list.slice(0, MAX_LISTED).map((trace) => `${trace.traceId} ${trace.decision} (${trace.spans} spans, ${trace.points} points)`);
  const more = list.length > MAX_LISTED ? `, … and ${list.length - MAX_LISTED} more` : '';
  const missing = focus !== undefined && !evidence.has(focus) ? `trace ${focus} not seen; seen: ` : '';
  return `${missing}${shown.join(', ')}${more}`;
}
