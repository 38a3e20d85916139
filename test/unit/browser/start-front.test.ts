import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { close, flush, getClient, getDroppedCounts, memoryExporter, metrics, withAttributes, type MemoryExporter } from '../../../src/browser/index';
import { init as coreInit } from '../../../src/core/sdk/init';
import { getRecorder } from '../../../src/core/carrier';
import { debugLogger } from '../../../src/core/internal/debug-logger';
import { startFront, type EngineModule } from '../../../src/browser/start-front';
import { MAX_EARLY_CALLS } from '../../../src/browser/early-recorder';
import { FrontClient } from '../../../src/browser/front-client';
import * as engine from '../../../src/browser/engine';

/** The page's init, with the engine held back until `release()` (a chunk still on the network). */
function initHeldBack(options: Parameters<typeof startFront>[0]): { client: ReturnType<typeof startFront>; release(): Promise<void>; fail(): Promise<void> } {
  let resolve!: (module: EngineModule) => void;
  let reject!: (error: Error) => void;
  const loaded = new Promise<EngineModule>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const client = startFront(options, () => loaded);
  return {
    client,
    async release() {
      resolve(engine);
      await loaded;
      await Promise.resolve();
    },
    async fail() {
      reject(new Error('chunk failed to load'));
      await loaded.catch(() => undefined);
      await Promise.resolve();
    },
  };
}

/** The same calls, in every shape the API has, with scoped attributes and a gauge set twice. */
function recordSample(): void {
  metrics.count('clicks', 2, { attributes: { button: 'buy' } });
  metrics.count('clicks', 1, { attributes: { button: 'buy' } });
  metrics.gauge('queue.depth', 5);
  metrics.gauge('queue.depth', 3);
  metrics.distribution('latency', 12.5, { unit: 'millisecond', attributes: { route: '/a' } });
  metrics.distribution('latency', 80, { unit: 'millisecond', attributes: { route: '/a' } });
  withAttributes({ tenant: 't1' }, () => metrics.count('scoped'));
  const bound = metrics.counter('bound').bind({ kind: 'x' });
  bound.add(4);
  bound.add(6);
  metrics.count('bad', -1);
}

/** Points without their times, in a stable order, for comparing two runs. */
function comparable(points: ReturnType<MemoryExporter['points']>): unknown[] {
  return points.map(({ timeMs: _end, startTimeMs: _start, exemplars: _exemplars, ...rest }) => rest).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(async () => {
  await close(1000);
  debugLogger.resetWarnings();
  vi.restoreAllMocks();
});

describe('the page front, before its engine has loaded', () => {
  it('replays every call made before the engine arrived exactly as the engine would have recorded it', async () => {
    const direct = memoryExporter();
    coreInit({ exporters: [direct], flushIntervalMs: 0 });
    recordSample();
    await flush();
    const directDrops = getDroppedCounts();
    await close();

    const memory = memoryExporter();
    const page = initHeldBack({ exporters: [memory], flushIntervalMs: 0 });
    expect(page.client).toBeInstanceOf(FrontClient);
    recordSample();
    expect(memory.points()).toEqual([]);
    await page.release();
    await flush();
    expect(comparable(memory.points())).toEqual(comparable(direct.points()));
    expect(memory.find('queue.depth')[0]).toMatchObject({ type: 'gauge', last: 3, min: 3, max: 5, count: 2 });
    expect(getDroppedCounts()).toEqual(directDrops);
  });

  it('then hands the carrier to the real aggregator, so later calls skip the front', async () => {
    const page = initHeldBack({ exporters: [memoryExporter()], flushIntervalMs: 0 });
    const front = getRecorder();
    expect(getClient()).toBeUndefined();
    await page.release();
    expect(getRecorder()).not.toBe(front);
    expect(getClient()).toBeDefined();
    expect(getRecorder()).toBe(getClient()!.aggregator);
  });

  it(`keeps at most ${MAX_EARLY_CALLS} calls and counts the rest as queue_overflow`, async () => {
    const memory = memoryExporter();
    const page = initHeldBack({ exporters: [memory], flushIntervalMs: 0 });
    for (let i = 0; i < MAX_EARLY_CALLS + 25; i++) metrics.count('early');
    expect(getDroppedCounts()).toEqual({ queue_overflow: 25 });
    await page.release();
    await flush();
    expect(memory.total('early')).toBe(MAX_EARLY_CALLS);
    expect(getDroppedCounts()).toEqual({ queue_overflow: 25 });
    expect(page.client.getDroppedCounts()).toEqual({ queue_overflow: 25 });
  });

  it('flush() waits for the engine, within its timeout', async () => {
    const memory = memoryExporter();
    const page = initHeldBack({ exporters: [memory], flushIntervalMs: 0 });
    metrics.count('early');
    expect(await flush(20)).toBe(false);
    const flushed = flush(5000);
    await page.release();
    expect(await flushed).toBe(true);
    expect(memory.total('early')).toBe(1);
  });

  it('close() before the engine stops taking calls at once, and the engine flushes what was kept and shuts down', async () => {
    const notInitializedBefore = getDroppedCounts().not_initialized ?? 0;
    const memory = memoryExporter();
    const shutdown = vi.fn();
    const page = initHeldBack({ exporters: [memory, { name: 'watch', exportMetrics: () => undefined, shutdown }], flushIntervalMs: 0 });
    metrics.count('before');
    const closed = close(5000);
    expect(page.client.isActive).toBe(false);
    metrics.count('after');
    await page.release();
    expect(await closed).toBe(true);
    expect(memory.total('before')).toBe(1);
    expect(memory.total('after')).toBe(0);
    expect(shutdown).toHaveBeenCalledTimes(1);
    expect(getDroppedCounts().not_initialized).toBe(notInitializedBefore + 1);
  });

  it('init() again while the engine loads returns the same front', () => {
    const page = initHeldBack({ flushIntervalMs: 0 });
    expect(startFront({}, () => new Promise(() => undefined))).toBe(page.client);
  });

  it('ended spans wait for the engine, then go to its exporters', async () => {
    const memory = memoryExporter();
    const page = initHeldBack({ exporters: [memory], flushIntervalMs: 0, tracesSampleRate: 1 });
    const { startSpan } = await import('../../../src/core/trace/start-span');
    startSpan({ name: 'early-work' }, () => undefined);
    await page.release();
    await flush();
    expect(memory.spans.map((span) => span.name)).toEqual(['early-work']);
  });

  it('an engine that cannot load never throws into the page: flush resolves false, with one warning', async () => {
    const page = initHeldBack({ exporters: [memoryExporter()], flushIntervalMs: 0 });
    metrics.count('early');
    await page.fail();
    expect(await flush(1000)).toBe(false);
    expect(warnings('could not load its engine')).toHaveLength(1);
  });

  it('bad options give a closed front, never a throw', () => {
    const client = startFront('nope' as never, () => Promise.resolve(engine));
    expect(client.isActive).toBe(false);
    metrics.count('x');
    expect(getDroppedCounts().not_initialized).toBeGreaterThan(0);
  });
});

function warnings(fragment: string): string[] {
  return vi
    .mocked(console.warn)
    .mock.calls.map((args) => args.join(' '))
    .filter((line) => line.includes(fragment));
}
