import { describe, expect, it } from 'vitest';
import { traceEvidence } from '../../../src/playwright/trace-evidence';
import { counter, exemplar, snapshot, span, TRACE_A, TRACE_B } from './snapshot-fixtures';

describe('traceEvidence', () => {
  it('groups spans and exemplars by trace and reads the decision from their flags', () => {
    const evidence = traceEvidence(snapshot([counter('a', 1, {}, { exemplars: [exemplar(TRACE_A, true), exemplar(TRACE_B, false)] })], [span({ traceId: TRACE_A }), span({ traceId: TRACE_A })]));
    expect(evidence.get(TRACE_A)).toEqual({ traceId: TRACE_A, spans: 2, points: 1, decision: 'sampled' });
    expect(evidence.get(TRACE_B)).toEqual({ traceId: TRACE_B, spans: 0, points: 1, decision: 'not sampled' });
  });

  it('calls a trace whose flags disagree a conflict, and one without flags unknown', () => {
    const evidence = traceEvidence(snapshot([counter('a', 1, {}, { exemplars: [exemplar(TRACE_A, false), exemplar(TRACE_B, undefined)] })], [span({ traceId: TRACE_A })]));
    expect(evidence.get(TRACE_A)?.decision).toBe('conflict');
    expect(evidence.get(TRACE_B)?.decision).toBe('unknown');
  });

  it('counts a point once per trace however many of its exemplars are in it', () => {
    const evidence = traceEvidence(snapshot([counter('a', 1, {}, { exemplars: [exemplar(TRACE_A, true), exemplar(TRACE_A, true)] })]));
    expect(evidence.get(TRACE_A)?.points).toBe(1);
  });
});
