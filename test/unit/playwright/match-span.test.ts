import { describe, expect, it } from 'vitest';
import { matchSpan } from '../../../src/playwright/match-span';
import { snapshot, span, TRACE_A, TRACE_B } from './snapshot-fixtures';

describe('matchSpan', () => {
  const captured = snapshot(
    [],
    [
      span({ traceId: TRACE_A, name: 'GET /api/products', op: 'http.client', attributes: { 'http.response.status_code': 200 } }),
      span({ traceId: TRACE_B, name: '/shop', op: 'pageload', status: 'error' }),
    ],
  );

  it('finds a span meeting every given field', () => {
    expect(matchSpan(captured, { op: 'http.client', traceId: TRACE_A, sampled: true }).pass).toBe(true);
    expect(matchSpan(captured, { name: /^GET \/api\//, attributes: { 'http.response.status_code': 200 } }).pass).toBe(true);
    expect(matchSpan(captured, { op: 'pageload', status: 'error' }).pass).toBe(true);
  });

  it('fails when one field differs on every span', () => {
    expect(matchSpan(captured, { op: 'http.client', traceId: TRACE_B }).pass).toBe(false);
    expect(matchSpan(captured, { sampled: false }).pass).toBe(false);
    expect(matchSpan(captured, { name: 'GET /api/orders' }).pass).toBe(false);
  });

  it('uses a global pattern the same way on every check (no lastIndex carried over)', () => {
    const pattern = /api/g;
    const one = snapshot([], [span({ traceId: TRACE_A, name: 'api' })]);
    expect(matchSpan(one, { name: pattern }).pass).toBe(true);
    expect(matchSpan(one, { name: pattern }).pass).toBe(true);
  });

  it('lists the captured spans in its message', () => {
    const result = matchSpan(captured, { op: 'db' });
    expect(result.expected).toBe('a span with op "db"');
    expect(result.actual).toContain(`2 spans captured:\nhttp.client "GET /api/products" trace ${TRACE_A} sampled`);
    expect(matchSpan(snapshot(), {}).actual).toBe('no spans were captured');
  });
});
