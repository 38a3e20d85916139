import { afterEach, describe, expect, it, vi } from 'vitest';
import { close, consoleExporter, flush, init, metrics } from '../../../../src/core/index';
import { debugLogger } from '../../../../src/core/internal/debug-logger';
import type { Resource } from '../../../../src/core/export/exporter';
import type { SpanData } from '../../../../src/core/trace/span-data';

const resource: Resource = { attributes: {}, sdk: { name: 'isometer', version: '0.0.0' } };
const TRACE = 'ab'.repeat(16);

function capture(): { lines: string[]; write: (line: string) => void } {
  const lines: string[] = [];
  return { lines, write: (line) => lines.push(line) };
}

function span(spanId: string, name: string, startTimeMs: number, endTimeMs: number, extra: Partial<SpanData> = {}): SpanData {
  return { traceId: TRACE, spanId, name, startTimeMs, endTimeMs, status: 'ok', attributes: {}, sampled: true, ...extra };
}

afterEach(async () => {
  await close();
  debugLogger.resetWarnings();
  vi.restoreAllMocks();
});

describe('consoleExporter', () => {
  it('prints a header and one readable line per counter, gauge and distribution', async () => {
    const { lines, write } = capture();
    init({ exporters: [consoleExporter({ write })], flushIntervalMs: 0 });
    metrics.count('checkout.click', 3, { attributes: { plan: 'pro' } });
    metrics.count('checkout.click', 2, { attributes: { plan: 'pro' } });
    metrics.gauge('queue.depth', 4);
    metrics.gauge('queue.depth', 9);
    metrics.gauge('queue.depth', 7);
    for (let value = 1; value <= 100; value++) metrics.distribution('db.query', value, { unit: 'millisecond' });
    expect(await flush()).toBe(true);

    expect(lines[0]).toMatch(/^\[isometer\] metrics · 3 series · \d+\.\d s ending \d{4}-\d\d-\d\dT/);
    const byName = (name: string) => lines.find((line) => line.includes(name)) ?? '';
    expect(byName('checkout.click')).toMatch(/^ {2}counter\s+checkout\.click\{plan=pro\}\s+sum=5 \(2 adds\)$/);
    expect(byName('queue.depth')).toMatch(/^ {2}gauge\s+queue\.depth\s+last=7 min=4 max=9 count=3$/);
    const distribution = byName('db.query');
    expect(distribution).toMatch(/^ {2}distribution\s+db\.query \[millisecond\]\s+count=100 min=1 p50=\S+ p90=\S+ p99=\S+ max=100$/);
    // 1…100 ms: the exact nearest-rank percentiles are 50, 90 and 99; the histogram is within 1%.
    const [p50, p90, p99] = (/p50=(\S+) p90=(\S+) p99=(\S+)/.exec(distribution) ?? []).slice(1).map(Number);
    expect(Math.abs(p50 - 50) / 50).toBeLessThanOrEqual(0.015);
    expect(Math.abs(p90 - 90) / 90).toBeLessThanOrEqual(0.015);
    expect(Math.abs(p99 - 99) / 99).toBeLessThanOrEqual(0.015);
  });

  it('prints nothing for an empty interval', async () => {
    const { lines, write } = capture();
    init({ exporters: [consoleExporter({ write })], flushIntervalMs: 0 });
    await flush();
    expect(lines).toEqual([]);
  });

  it('prints a trace as a tree, children indented under their parent in start order', () => {
    const { lines, write } = capture();
    const exporter = consoleExporter({ write });
    exporter.exportSpans!({
      resource,
      spans: [
        span('0000000000000003', 'SELECT cart', 120, 150, { parentSpanId: '0000000000000002', op: 'db.query', attributes: { table: 'carts' } }),
        span('0000000000000002', 'load cart', 100, 160, { parentSpanId: '0000000000000001', op: 'function' }),
        span('0000000000000001', 'GET /cart', 100, 300, { op: 'http.server', parentSpanId: 'ffffffffffffffff' }),
        span('0000000000000004', 'render', 170, 290, { parentSpanId: '0000000000000001', status: 'error' }),
      ],
    });
    expect(lines).toEqual([
      `[isometer] trace ${TRACE} · sampled`,
      '  http.server GET /cart +0ms 200ms',
      '    function load cart +0ms 60ms',
      '      db.query SELECT cart +20ms 30ms{table=carts}',
      '    render +70ms 120ms ✗',
    ]);
  });

  it('prints each trace of a batch under its own header', () => {
    const { lines, write } = capture();
    consoleExporter({ write }).exportSpans!({
      resource,
      spans: [span('0000000000000001', 'a', 0, 1), { ...span('0000000000000002', 'b', 0, 1), traceId: 'cd'.repeat(16), sampled: false }],
    });
    expect(lines.filter((line) => line.startsWith('[isometer] trace'))).toEqual([`[isometer] trace ${TRACE} · sampled`, `[isometer] trace ${'cd'.repeat(16)} · not sampled`]);
  });

  it('writes to console.log by default', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    init({ exporters: [consoleExporter()], flushIntervalMs: 0 });
    metrics.count('default.sink');
    await flush();
    expect(log.mock.calls.map((args) => String(args[0])).some((line) => line.includes('default.sink'))).toBe(true);
  });
});
