import { expect, test, type Page } from '@playwright/test';
import { startBrowserHarness, type BrowserHarness } from './support/browser-harness';

/**
 * Web vitals in real Chromium, read from a memory exporter: a slow click makes a poor INP, whose
 * attribution lands on a `web_vital` span the point's exemplar names, never on the series.
 */
const entry = (vitalsOptions: string): string => `
import { init, browserTracingIntegration, webVitalsIntegration, memoryExporter } from './src/browser/index';
const memory = memoryExporter();
init({ tracesSampleRate: 1, flushIntervalMs: 0, exporters: [memory], integrations: [browserTracingIntegration(), webVitalsIntegration(${vitalsOptions})] });
document.body.insertAdjacentHTML('beforeend', '<h1>Orders</h1><button id="slow">Slow</button>');
// Blocks the main thread past INP's "poor" threshold (500 ms).
document.getElementById('slow')!.addEventListener('click', () => { const end = performance.now() + 600; while (performance.now() < end); document.querySelector('h1')!.textContent = 'Done'; });
(window as any).memory = memory;
`;

let harness: BrowserHarness | undefined;
test.afterEach(async () => {
  await harness?.close();
});

/** Hides the page (web-vitals reports INP and CLS) and then leaves it (isometer sends their final values). */
async function hideAndLeave(page: Page): Promise<void> {
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
    dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
  });
}

async function inpAfterSlowClick(page: Page, attribution: boolean, vitalsOptions = `{ attribution: ${attribution} }`) {
  harness = await startBrowserHarness(entry(vitalsOptions));
  await page.goto(`${harness.origin}/`);
  await page.click('#slow');
  await expect(page.locator('h1')).toHaveText('Done');
  await expect.poll(() => page.evaluate(() => performance.getEntriesByType('first-input').length)).toBeGreaterThan(0);
  // web-vitals' INP observer sees the event entry after the next frame.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
  await hideAndLeave(page);
  await expect.poll(() => page.evaluate(() => (window as any).memory.find('browser.web_vital.inp').length)).toBe(1);
  return page.evaluate(() => ({ points: (window as any).memory.find('browser.web_vital.inp'), spans: (window as any).memory.spans }));
}

test('a poor INP keeps the same attribute keys with attribution on; the cause is on the span its exemplar names', async ({ page }) => {
  const { points, spans } = await inpAfterSlowClick(page, true);
  const [point] = points;
  expect(point.unit).toBe('millisecond');
  expect(point.min).toBeGreaterThanOrEqual(500);
  expect(point.attributes).toEqual({ navigation_type: 'navigate', rating: 'poor', route: '/' });
  const cause = spans.find((span: { spanId: string }) => span.spanId === point.exemplars[0].spanId);
  expect(cause).toMatchObject({ op: 'web_vital', attributes: { element: expect.stringContaining('slow'), interaction_type: 'pointer' } });
});

test('without attribution the same series is recorded, in the page-load span', async ({ page }) => {
  const { points, spans } = await inpAfterSlowClick(page, false);
  expect(points[0].attributes).toEqual({ navigation_type: 'navigate', rating: 'poor', route: '/' });
  const pageLoad = spans.find((span: { op?: string }) => span.op === 'pageload');
  expect(points[0].exemplars[0].traceId).toBe(pageLoad?.traceId);
});

test('metrics are chosen in either case; an unknown name is left out with one warning', async ({ page }) => {
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  const { points } = await inpAfterSlowClick(page, false, `{ metrics: ['inp', 'FCP', 'bogus', 'bogus'] as any }`);
  expect(points).toHaveLength(1);
  const names = await page.evaluate(() => [...new Set((window as any).memory.points().map((point: { name: string }) => point.name))]);
  expect(names.filter((name) => String(name).startsWith('browser.web_vital.')).sort()).toEqual(['browser.web_vital.fcp', 'browser.web_vital.inp']);
  expect(warnings.filter((text) => text.includes('bogus'))).toHaveLength(1);
});
