import { expect, test } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import type {} from '../support/isometer-page';
import { watchPage } from '../support/page-problems';
import { DIST_DIR, SCRIPT_TAG_BUILD, requireBuild } from '../support/paths';
import { startStaticServer, type StaticServer } from '../support/static-server';

const PAGE_DIR = fileURLToPath(new URL('./', import.meta.url));

let server: StaticServer;

test.beforeAll(async () => {
  requireBuild(SCRIPT_TAG_BUILD);
  server = await startStaticServer({ '/': PAGE_DIR, '/dist/': DIST_DIR });
});

test.afterAll(async () => {
  await server?.close();
});

test('the script tag defines window.Isometer and exports exact aggregates on flush', async ({ page }) => {
  const problems = watchPage(page);
  await page.goto(`${server.origin}/index.html`);

  const result = await page.evaluate(async () => {
    const { metrics, flush } = window.Isometer;
    metrics.count('page.view', 1, { attributes: { route: '/home' } });
    metrics.count('page.view', 1, { attributes: { route: '/home' } });
    metrics.count('page.view', 3, { attributes: { route: '/home' } });
    metrics.count('page.view', 7, { attributes: { route: '/cart' } });
    metrics.gauge('queue.depth', 5, { attributes: { queue: 'uploads' } });
    metrics.gauge('queue.depth', 2, { attributes: { queue: 'uploads' } });
    metrics.gauge('queue.depth', 9, { attributes: { queue: 'uploads' } });
    metrics.distribution('load.time', 120, { unit: 'millisecond', attributes: { route: '/home', cached: false } });
    metrics.distribution('load.time', 80, { unit: 'millisecond', attributes: { route: '/home', cached: false } });
    metrics.distribution('load.time', 200, { unit: 'millisecond', attributes: { route: '/home', cached: false } });
    const flushed = await flush();
    return { flushed, batches: window.isometerTest.memory.batches.length, points: window.isometerTest.memory.points() };
  });

  expect(result.flushed).toBe(true);
  expect(result.batches).toBe(1);
  const byKey = (name: string, attributes: Record<string, unknown>) => result.points.filter((point) => point.name === name && JSON.stringify(point.attributes) === JSON.stringify(attributes));

  expect(byKey('page.view', { route: '/home' })).toEqual([expect.objectContaining({ type: 'counter', unit: '', sum: 5, count: 3 })]);
  expect(byKey('page.view', { route: '/cart' })).toEqual([expect.objectContaining({ type: 'counter', sum: 7, count: 1 })]);
  expect(byKey('queue.depth', { queue: 'uploads' })).toEqual([expect.objectContaining({ type: 'gauge', last: 9, min: 2, max: 9, sum: 16, count: 3 })]);
  const [loadTime] = byKey('load.time', { cached: false, route: '/home' });
  expect(loadTime).toMatchObject({ type: 'distribution', unit: 'millisecond', count: 3, sum: 400, min: 80, max: 200 });
  expect(loadTime.type === 'distribution' && loadTime.histogram.count).toBe(3);
  // Only the series recorded above (the SDK may add its own, such as the page-load span's duration).
  const recorded = result.points.filter((point) => ['page.view', 'queue.depth', 'load.time'].includes(point.name));
  expect(recorded).toHaveLength(4);
  expect(problems.errors).toEqual([]);
});

test('bad input from the page never throws into it and is counted by reason', async ({ page }) => {
  const problems = watchPage(page);
  await page.goto(`${server.origin}/index.html`);
  // Input is validated by the engine (the tag's companion file): counted at once once it is in.
  await page.waitForFunction(() => window.Isometer.getClient() !== undefined);

  const result = await page.evaluate(async () => {
    const { metrics, flush, getDroppedCounts } = window.Isometer;
    const badRound = () => {
      const circular: Record<string, unknown> = { ok: 'yes' };
      circular.self = circular;
      const returned = [metrics.count('bad.value', Number.NaN), metrics.count('circular.attributes', 1, { attributes: circular }), metrics.count(null as unknown as string)];
      return returned.every((value) => value === undefined);
    };
    // Warnings are counted per round by catching them synchronously, whatever init itself logged.
    const warnings: string[][] = [[], []];
    const originalWarn = console.warn;
    let round = 0;
    console.warn = (...args: unknown[]) => void warnings[round].push(args.map(String).join(' '));
    let firstRoundReturnedNothing: boolean;
    let afterFirstRound: ReturnType<typeof getDroppedCounts>;
    try {
      firstRoundReturnedNothing = badRound();
      afterFirstRound = getDroppedCounts();
      round = 1;
      badRound();
    } finally {
      console.warn = originalWarn;
    }
    metrics.count('still.works', 2);
    await flush();
    return {
      firstRoundReturnedNothing,
      afterFirstRound,
      warnings,
      afterSecondRound: getDroppedCounts(),
      stillWorks: window.isometerTest.memory.total('still.works'),
      circular: window.isometerTest.memory.find('circular.attributes'),
    };
  });

  expect(problems.errors).toEqual([]);
  expect(result.firstRoundReturnedNothing).toBe(true);
  expect(result.afterFirstRound).toEqual({ invalid_value: 1, invalid_attribute: 1, invalid_name: 1 });
  expect(result.afterSecondRound).toEqual({ invalid_value: 2, invalid_attribute: 2, invalid_name: 2 });
  // The circular entry is dropped; the point and its clean attributes are kept.
  expect(result.circular).toEqual([expect.objectContaining({ type: 'counter', sum: 2, count: 2, attributes: { ok: 'yes' } })]);
  expect(result.stillWorks).toBe(2);
  // One clear warning per kind of mistake the first time, none when the same mistakes repeat.
  expect(result.warnings[0]).toEqual([
    expect.stringMatching(/^\[isometer\] metrics\.count: value must be/),
    // The tag is a production build: attribute warnings print their short code.
    expect.stringMatching(/^\[isometer\] metrics\.count:attribute-value /),
    expect.stringMatching(/^\[isometer\] metrics\.count: the name must be/),
  ]);
  expect(result.warnings[1]).toEqual([]);
});

test('the page turning hidden flushes to the exporters without a flush() call', async ({ page }) => {
  const problems = watchPage(page);
  await page.goto(`${server.origin}/index.html`);
  // The engine (the tag's companion file) has loaded: a page hidden before that keeps its calls for the next load instead.
  await page.waitForFunction(() => window.Isometer.getClient() !== undefined);

  const result = await page.evaluate(async () => {
    window.Isometer.metrics.count('tab.switch', 4, { attributes: { from: 'checkout' } });
    const batchesBefore = window.isometerTest.memory.batches.length;
    const exported = window.isometerTest.nextExport();
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    await exported;
    return { batchesBefore, batchesAfter: window.isometerTest.memory.batches.length, total: window.isometerTest.memory.total('tab.switch', { from: 'checkout' }) };
  });

  expect(result).toEqual({ batchesBefore: 0, batchesAfter: 1, total: 4 });
  expect(problems.errors).toEqual([]);
});

test('pagehide flushes to the exporters without a flush() call', async ({ page }) => {
  const problems = watchPage(page);
  await page.goto(`${server.origin}/index.html`);
  // The engine (the tag's companion file) has loaded: a page hidden before that keeps its calls for the next load instead.
  await page.waitForFunction(() => window.Isometer.getClient() !== undefined);

  const result = await page.evaluate(async () => {
    window.Isometer.metrics.distribution('checkout.total', 42.5, { unit: 'euro' });
    const exported = window.isometerTest.nextExport();
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    const batch = await exported;
    return {
      exported: batch.points.filter((point) => point.name === 'checkout.total').map((point) => point.type === 'distribution' && [point.count, point.sum]),
      memoryCount: window.isometerTest.memory.total('checkout.total'),
    };
  });

  expect(result).toEqual({ exported: [[1, 42.5]], memoryCount: 1 });
  expect(problems.errors).toEqual([]);
});
