import { describe, expect, it } from 'vitest';
import { createViewerStore } from '../../../src/dev/viewer-store';
import { fromViewerState } from '../../../src/playwright/from-viewer-state';
import { parseSnapshot } from '../../../src/playwright/parse-snapshot';
import { TRACE_A } from './snapshot-fixtures';

/** A real viewer state: what `GET /api/state` serves after a server and a page sent data. */
function viewerState() {
  const store = createViewerStore();
  store.ingest({
    origin: 'server',
    service: 'node-demo',
    sdk: 'isometer',
    points: [
      {
        type: 'counter',
        name: 'db.operation.count',
        unit: '',
        attributes: { table: 'orders' },
        startTimeMs: 0,
        timeMs: 2000,
        sum: 3,
        count: 3,
        exemplars: [{ traceId: TRACE_A, spanId: 'b'.repeat(16), value: 1, timestampMs: 1, sampled: false }],
      },
      { type: 'gauge', name: 'db.pool.in_use', unit: '', attributes: {}, startTimeMs: 0, timeMs: 2000, last: 2, min: 0, max: 4, sum: 6, count: 9, exemplars: [] },
    ],
    spans: [{ traceId: TRACE_A, spanId: 'c'.repeat(16), name: 'GET /api/orders', op: 'http.server', startTimeMs: 1, endTimeMs: 2, status: 'ok', attributes: {}, sampled: true, sampleRate: 1 }],
  });
  store.ingest({
    origin: 'browser',
    service: 'shop',
    sdk: 'isometer',
    points: [{ type: 'distribution', name: 'ui.render_time', unit: 'millisecond', attributes: { view: 'cart' }, startTimeMs: 0, timeMs: 2000, count: 2, sum: 10, min: 4, max: 6, exemplars: [] }],
    spans: [{ traceId: TRACE_A, spanId: 'd'.repeat(16), parentSpanId: 'c'.repeat(16), name: '/cart', op: 'pageload', startTimeMs: 0, endTimeMs: 3, status: 'unset', attributes: {} }],
  });
  return JSON.parse(JSON.stringify(store.state())) as unknown;
}

describe('fromViewerState', () => {
  it("reads one side's points and spans, and the snapshot parser keeps them", () => {
    const { points, spans } = fromViewerState(viewerState(), { origin: 'server' });
    expect(points.map((point) => point.name).sort()).toEqual(['db.operation.count', 'db.pool.in_use']);
    const counter = points.find((point) => point.type === 'counter');
    expect(counter).toMatchObject({ sum: 3, count: 3, attributes: { table: 'orders' }, exemplars: [{ traceId: TRACE_A, sampled: false }] });
    const gauge = points.find((point) => point.type === 'gauge');
    expect(gauge).toMatchObject({ last: 2, min: 0, max: 4, count: 9 });
    expect(spans).toEqual([expect.objectContaining({ traceId: TRACE_A, spanId: 'c'.repeat(16), parentSpanId: undefined, op: 'http.server', sampled: true, sampleRate: 1 })]);
    expect(parseSnapshot({ points, spans }).spans).toHaveLength(1);
  });

  it('takes the browser side, every side, or one service', () => {
    const state = viewerState();
    const browser = fromViewerState(state, { origin: 'browser' });
    expect(browser.points).toEqual([expect.objectContaining({ type: 'distribution', name: 'ui.render_time', count: 2, min: 4, max: 6 })]);
    // The page's span came without a decision; the viewer shows it as sampled (only sampled spans are exported).
    expect(browser.spans).toEqual([expect.objectContaining({ op: 'pageload', parentSpanId: 'c'.repeat(16), sampled: true })]);
    expect(fromViewerState(state, { origin: 'all' }).spans).toHaveLength(2);
    expect(fromViewerState(state, { origin: 'all', service: 'shop' }).points.map((point) => point.name)).toEqual(['ui.render_time']);
    expect(fromViewerState(state, { service: 'shop' }).points).toEqual([]);
  });

  it('says what it expected when the body is not a viewer state', () => {
    expect(() => fromViewerState({ points: [] })).toThrow(/isometer dev viewer's state/);
  });
});
