import { describe, expect, it } from 'vitest';
import { fromDemoCollectorState } from '../../../src/playwright/from-demo-collector-state';
import { parseSnapshot } from '../../../src/playwright/parse-snapshot';
import { TRACE_A } from './snapshot-fixtures';

/** The shape node-demo/collector serves on GET /api/collector/state (trimmed to what is read). */
const state = {
  series: [
    {
      origin: 'server',
      service: 'node-demo',
      type: 'counter',
      name: 'db.operation.count',
      unit: '',
      attributes: { table: 'orders' },
      points: [{ startTimeMs: 0, timeMs: 2000, sum: 3, count: 3, exemplars: [{ traceId: TRACE_A, spanId: 'b'.repeat(16), value: 1, timestampMs: 1, sampled: false }] }],
    },
    {
      origin: 'server',
      service: 'node-demo',
      type: 'gauge',
      name: 'db.pool.in_use',
      unit: '',
      attributes: {},
      points: [{ startTimeMs: 0, timeMs: 2000, last: 2, min: 0, max: 4, count: 9, exemplars: [] }],
    },
    {
      origin: 'browser',
      service: 'shop',
      type: 'distribution',
      name: 'ui.render_time',
      unit: 'millisecond',
      attributes: { view: 'cart' },
      points: [{ startTimeMs: 0, timeMs: 2000, count: 2, sum: 10, min: 4, max: 6, p50: 4, exemplars: [] }],
    },
  ],
  traces: [
    {
      traceId: TRACE_A,
      spans: [
        {
          spanId: 'c'.repeat(16),
          parentSpanId: null,
          origin: 'server',
          service: 'node-demo',
          name: 'GET /api/orders',
          op: 'http.server',
          startTimeMs: 1,
          endTimeMs: 2,
          status: 'ok',
          statusMessage: null,
          sampled: true,
          sampleRate: 1,
          attributes: {},
        },
        {
          spanId: 'd'.repeat(16),
          parentSpanId: 'c'.repeat(16),
          origin: 'browser',
          service: 'shop',
          name: '/cart',
          op: 'pageload',
          startTimeMs: 0,
          endTimeMs: 3,
          status: 'unset',
          statusMessage: null,
          sampled: null,
          sampleRate: null,
          attributes: {},
        },
      ],
    },
  ],
};

describe('fromDemoCollectorState', () => {
  it('turns the server side of the demo state into points and spans', () => {
    const { points, spans } = fromDemoCollectorState(state, 'server');
    expect(points.map((point) => point.name)).toEqual(['db.operation.count', 'db.pool.in_use']);
    expect(points[0]).toMatchObject({ type: 'counter', sum: 3, count: 3, attributes: { table: 'orders' }, exemplars: [{ traceId: TRACE_A, sampled: false }] });
    expect(points[1]).toMatchObject({ type: 'gauge', last: 2, min: 0, max: 4 });
    expect(spans).toEqual([expect.objectContaining({ traceId: TRACE_A, name: 'GET /api/orders', op: 'http.server', parentSpanId: undefined, sampled: true, sampleRate: 1 })]);
  });

  it('keeps the browser side apart, or both with origin "all"', () => {
    const browser = fromDemoCollectorState(state, 'browser');
    expect(browser.points.map((point) => point.name)).toEqual(['ui.render_time']);
    expect(browser.spans.map((span) => [span.name, span.sampled])).toEqual([['/cart', true]]);
    const all = fromDemoCollectorState(state, 'all');
    expect([all.points.length, all.spans.length]).toEqual([3, 2]);
  });

  it('throws on a body that is not the demo state', () => {
    expect(() => fromDemoCollectorState({ points: [] })).toThrow(/demo collector's state/);
  });
});

describe('parseSnapshot', () => {
  it('keeps well-formed entries and fills attributes and exemplars left out', () => {
    const parsed = parseSnapshot({ points: [{ type: 'counter', name: 'a', sum: 1 }, { nonsense: true }], spans: [{ traceId: TRACE_A, name: 's' }, 3] });
    expect(parsed.points).toEqual([{ type: 'counter', name: 'a', sum: 1, attributes: {}, exemplars: [] }]);
    expect(parsed.spans).toEqual([{ traceId: TRACE_A, name: 's', attributes: {} }]);
  });

  it('throws on a body without both lists', () => {
    expect(() => parseSnapshot({ points: [] })).toThrow(/\{ points: \[\.\.\.\], spans: \[\.\.\.\] \}/);
  });
});
