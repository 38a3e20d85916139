import { describe, expect, it } from 'vitest';
import { matchSharedTrace } from '../../../src/playwright/match-shared-trace';
import { counter, exemplar, snapshot, span, TRACE_A, TRACE_B } from './snapshot-fixtures';

const page = snapshot([counter('cart.add', 1, {}, { exemplars: [exemplar(TRACE_B, false)] })], [span({ traceId: TRACE_A, op: 'pageload' })]);

describe('matchSharedTrace', () => {
  it('passes when a trace has data on both sides with the same definite decision', () => {
    const server = snapshot([], [span({ traceId: TRACE_A, op: 'http.server' })]);
    expect(matchSharedTrace(page, server).pass).toBe(true);
    expect(matchSharedTrace(page, server, { traceId: TRACE_A, sampled: true }).pass).toBe(true);
    expect(matchSharedTrace(page, server, { sampled: false }).pass).toBe(false);
  });

  it('matches an unsampled trace through exemplar flags alone', () => {
    const server = snapshot([counter('db.operation.count', 1, {}, { exemplars: [exemplar(TRACE_B, false)] })]);
    expect(matchSharedTrace(page, server, { traceId: TRACE_B, sampled: false }).pass).toBe(true);
  });

  it('fails when the sides disagree on the decision, or one side cannot tell it', () => {
    const disagreeing = snapshot([counter('db.operation.count', 1, {}, { exemplars: [exemplar(TRACE_B, true)] })]);
    expect(matchSharedTrace(page, disagreeing, { traceId: TRACE_B }).pass).toBe(false);
    const unflagged = snapshot([counter('db.operation.count', 1, {}, { exemplars: [exemplar(TRACE_B, undefined)] })]);
    expect(matchSharedTrace(page, unflagged, { traceId: TRACE_B }).pass).toBe(false);
  });

  it('fails when the named trace is only on one side, and says what each side had', () => {
    const server = snapshot([], [span({ traceId: TRACE_B, op: 'http.server' })]);
    const result = matchSharedTrace(page, server, { traceId: TRACE_A }, ['the page', 'the server']);
    expect(result.pass).toBe(false);
    expect(result.expected).toBe(`trace ${TRACE_A} shared with the server with the same sampling decision`);
    expect(result.actual).toContain(`the page: ${TRACE_A} sampled (1 spans, 0 points)`);
    expect(result.actual).toContain(`the server: trace ${TRACE_A} not seen; seen: ${TRACE_B} sampled (1 spans, 0 points)`);
    expect(result.actual).toContain(`on both sides: ${TRACE_B} (not sampled / sampled)`);
  });
});
