import { expect, test } from '@playwright/test';
import { startBrowserHarness, type BrowserHarness } from './support/browser-harness';

/**
 * A page's metrics calls made before its engine chunk has loaded, in real Chromium: replayed into
 * the engine, and kept in storage when the page is hidden or left first, for this page's engine
 * (if it still loads) or the next page's.
 */

const ENTRY = `
import { metrics, memoryExporter, flush, getDroppedCounts, startSpan, browserTracingIntegration } from './src/browser/index';
import { startFront } from './src/browser/start-front';
import * as engine from './src/browser/engine';
const memory = memoryExporter();
let release: () => void = () => undefined;
const heldBack = new Promise<typeof engine>((resolve) => (release = () => resolve(engine)));
Object.assign(window as any, {
  metrics,
  flush,
  getDroppedCounts,
  startSpan,
  release,
  // hold: the engine arrives only when the spec calls release(), as a slow chunk would.
  start: (hold: boolean) => void startFront({ exporters: [memory], flushIntervalMs: 0, tracesSampleRate: 1 }, () => (hold ? heldBack : Promise.resolve(engine))),
  // With fetch/XHR tracing: requests to the harness's own origin get http.client spans.
  startTraced: (hold: boolean) =>
    ((window as any).front = startFront({ exporters: [memory], flushIntervalMs: 0, tracesSampleRate: 1, integrations: [browserTracingIntegration()] }, () => (hold ? heldBack : Promise.resolve(engine)))),
  requests: () => ({
    points: memory.find('http.client.request.duration').map((point) => ({ count: point.count, attributes: point.attributes })),
    spans: memory.spans.filter((span) => span.op === 'http.client').map((span) => ({ name: span.name, endTimeMs: span.endTimeMs, attributes: span.attributes })),
  }),
  totals: () => Object.fromEntries(['early.count', 'early.gauge'].map((name) => [name, memory.total(name)])),
  lastGauge: () => (memory.find('early.gauge').at(-1) as any)?.last,
  kept: () => Object.keys(localStorage).filter((key) => key.startsWith('isometer:early')).length,
  spanNames: () => memory.spans.map((span) => span.name),
});
`;

let harness: BrowserHarness | undefined;

test.afterEach(async () => {
  await harness?.close();
});

test('calls made before the engine loaded are replayed into it, in order', async ({ page }) => {
  harness = await startBrowserHarness(ENTRY);
  await page.goto(harness.origin);
  const result = await page.evaluate(async () => {
    const w = window as any;
    w.start(true);
    for (let i = 0; i < 10; i++) w.metrics.count('early.count', 1, { attributes: { i: i % 2 } });
    w.metrics.gauge('early.gauge', 1);
    w.metrics.gauge('early.gauge', 7);
    w.release();
    const flushed = await w.flush(5000);
    return { flushed, totals: w.totals(), last: w.lastGauge(), drops: w.getDroppedCounts() };
  });
  expect(result).toEqual({ flushed: true, totals: { 'early.count': 10, 'early.gauge': 2 }, last: 7, drops: {} });
});

test('hidden before the engine loaded: the calls go to storage, and the engine replays them once it arrives', async ({ page }) => {
  harness = await startBrowserHarness(ENTRY);
  await page.goto(harness.origin);
  const keptAtHide = await page.evaluate(() => {
    const w = window as any;
    w.start(true);
    for (let i = 0; i < 5; i++) w.metrics.count('early.count');
    w.metrics.gauge('early.gauge', 3);
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    return w.kept();
  });
  expect(keptAtHide).toBe(1);
  const result = await page.evaluate(async () => {
    const w = window as any;
    w.release();
    const flushed = await w.flush(5000);
    return { flushed, totals: w.totals(), last: w.lastGauge(), kept: w.kept(), drops: w.getDroppedCounts() };
  });
  expect(result).toEqual({ flushed: true, totals: { 'early.count': 5, 'early.gauge': 1 }, last: 3, kept: 0, drops: {} });
});

test('left before the engine loaded: the next page of the origin replays the calls, once', async ({ page }) => {
  harness = await startBrowserHarness(ENTRY);
  await page.goto(harness.origin);
  await page.evaluate(() => {
    const w = window as any;
    w.start(true);
    for (let i = 0; i < 4; i++) w.metrics.count('early.count');
    w.metrics.gauge('early.gauge', 9);
    w.startSpan({ name: 'early-span' }, () => undefined);
  });
  // Leaving (here by reloading) fires pagehide while the engine is still held back.
  await page.reload();
  const next = await page.evaluate(async () => {
    const w = window as any;
    const keptBefore = w.kept();
    w.start(false);
    const flushed = await w.flush(5000);
    return { keptBefore, flushed, totals: w.totals(), last: w.lastGauge(), kept: w.kept(), spans: w.spanNames() };
  });
  // The calls, and the sampled span that ended (its data; its span.duration point is counted lost).
  expect(next).toEqual({ keptBefore: 2, flushed: true, totals: { 'early.count': 4, 'early.gauge': 1 }, last: 9, kept: 0, spans: ['early-span'] });
  await page.reload();
  const third = await page.evaluate(async () => {
    const w = window as any;
    w.start(false);
    await w.flush(5000);
    return w.totals();
  });
  expect(third).toEqual({ 'early.count': 0, 'early.gauge': 0 });
});

test('with no storage to keep them in, the calls are counted as dropped, and nothing throws', async ({ page }) => {
  harness = await startBrowserHarness(ENTRY);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(harness.origin);
  const drops = await page.evaluate(() => {
    const w = window as any;
    Storage.prototype.setItem = () => {
      throw new DOMException('quota', 'QuotaExceededError');
    };
    w.start(true);
    for (let i = 0; i < 3; i++) w.metrics.count('early.count');
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    return w.getDroppedCounts();
  });
  expect(drops).toEqual({ queue_overflow: 3 });
  expect(errors).toEqual([]);
});

test('a request that ended before the engine loaded is recorded when it arrives, at the time it ended', async ({ page }) => {
  harness = await startBrowserHarness(ENTRY);
  await page.goto(harness.origin);
  const result = await page.evaluate(async () => {
    const w = window as any;
    w.startTraced(true);
    await fetch('/data');
    const answeredBy = Date.now();
    // The engine arrives well after the answer.
    await new Promise((resolve) => setTimeout(resolve, 300));
    w.release();
    const flushed = await w.flush(5000);
    const { points, spans } = w.requests();
    return { flushed, points, spans: spans.map(({ endTimeMs, ...span }: any) => ({ ...span, endedWithTheAnswer: endTimeMs <= answeredBy + 150 })), drops: w.getDroppedCounts() };
  });
  const attributes = { 'http.request.method': 'GET', 'server.address': '127.0.0.1', 'server.port': Number(new URL(harness.origin).port), 'url.scheme': 'http', 'http.response.status_code': 204 };
  const url = { 'url.full': `${harness.origin}/data`, 'url.path': '/data' };
  expect(result).toEqual({ flushed: true, points: [{ count: 1, attributes }], spans: [{ name: 'GET /data', attributes: { ...attributes, ...url }, endedWithTheAnswer: true }], drops: {} });
});

test('left before the engine loaded: a request waiting for it keeps its span with the others and counts its point', async ({ page }) => {
  harness = await startBrowserHarness(ENTRY);
  await page.goto(harness.origin);
  const left = await page.evaluate(async () => {
    const w = window as any;
    w.startTraced(true);
    await fetch('/data');
    // Spans that ended meanwhile (the page load's); the request's waits for the engine.
    const ended = w.front.spans.length;
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    return { ended, drops: w.getDroppedCounts() };
  });
  // The page was left, not closed: the next engine (the reload's) reads what it kept.
  await page.reload();
  const next = await page.evaluate(async () => {
    const w = window as any;
    w.start(false);
    await w.flush(5000);
    return w.requests();
  });
  // Counted at pagehide: the request's http.client.request.duration point (its code is the
  // engine's), and each span handed to storage (its span.duration point), the request's included.
  expect(left.drops).toEqual({ queue_overflow: left.ended + 2 });
  expect(next.points).toEqual([]);
  expect(next.spans.map((span: { name: string }) => span.name)).toEqual(['GET /data']);
});
