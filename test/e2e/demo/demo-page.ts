import { expect, type Page, type Request } from '@playwright/test';
import { DEMO_ORIGIN } from './demo-port';
import type { DemoVariant } from './demo-variants';

/** What the shop page exposes for tests (browser-demo/shared/app.js). */
interface DemoHooks {
  ready: Promise<unknown>;
  flush(timeoutMs?: number): Promise<boolean>;
  traceId(): string | undefined;
  sampled(): boolean | undefined;
  sampleRate(): number | undefined;
}

declare global {
  interface Window {
    demo: DemoHooks;
  }
}

/** The page's trace as the page itself reports it. */
export interface PageTrace {
  traceId: string;
  sampled: boolean;
}

/**
 * Opens the shop of `variant` at `?rate=` and waits until its first API calls finished; resolves
 * to the page's trace id and sampling decision.
 *
 * @example
 * const { traceId, sampled } = await openShop(page, variant, 1);
 */
export async function openShop(page: Page, variant: DemoVariant, rate: number): Promise<PageTrace> {
  const errors: string[] = [];
  const onError = (error: Error) => errors.push(error.message);
  page.on('pageerror', onError);
  try {
    await page.goto(`${DEMO_ORIGIN}${variant.path}?rate=${rate}`);
    await page.waitForFunction(() => typeof window.demo === 'object', undefined, { timeout: 15_000 });
  } catch (error) {
    throw new Error(`the ${variant.name} page did not start (${error instanceof Error ? error.message : String(error)}); errors in the page: ${JSON.stringify(errors)}`);
  } finally {
    page.off('pageerror', onError);
  }
  await page.evaluate(() => window.demo.ready);
  const trace = await page.evaluate(() => ({ traceId: window.demo.traceId(), sampled: window.demo.sampled() }));
  if (typeof trace.traceId !== 'string' || typeof trace.sampled !== 'boolean') throw new Error(`the ${variant.name} page has no decided trace: ${JSON.stringify(trace)}`);
  return trace as PageTrace;
}

/** Sends what the page's isometer holds; fails the test when an exporter did not take it. */
export async function flushPage(page: Page): Promise<void> {
  const flushed = await page.evaluate(() => window.demo.flush());
  if (!flushed) throw new Error('window.demo.flush() resolved false');
}

/**
 * Records every request the page makes to the demo's API (`/api/*`), in order,
 * with the headers the page sent.
 */
export function recordApiRequests(page: Page): Request[] {
  const requests: Request[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === DEMO_ORIGIN && url.pathname.startsWith('/api/')) requests.push(request);
  });
  return requests;
}

/** `GET /api/search` → the server span name the demo gives that request (`GET /api/search`). */
export function serverSpanName(request: Request): string {
  return `${request.method()} ${new URL(request.url()).pathname}`;
}

/**
 * Waits for the product list; the demo's database fails now and then on purpose, so a failed
 * load is retried through the page's own Retry button (at most five times).
 */
export async function waitForProducts(page: Page): Promise<void> {
  const card = page.locator('[data-add]').first();
  const retry = page.getByTestId('products-retry');
  for (let attempt = 0; attempt < 5; attempt++) {
    await card.or(retry).first().waitFor();
    if (await card.isVisible()) return;
    await retry.click();
  }
  await card.waitFor();
}

/**
 * Emulates the tab being hidden or shown again: `document.visibilityState` reads `state` and a
 * `visibilitychange` event is fired the way the browser fires it (at the document, bubbling).
 * Headless Chromium never hides a page by itself.
 */
export async function setVisibility(page: Page, state: 'hidden' | 'visible'): Promise<void> {
  await page.evaluate((next) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => next });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => next === 'hidden' });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  }, state);
}

/**
 * Moves the page's content down (a banner above it grows) until the browser reports a layout
 * shift that counts for CLS, and resolves to the shift's value. Shifts within 500 ms of a user
 * input do not count (Layout Instability API, `hadRecentInput`), so after a click the banner
 * grows again on each poll until one counts, instead of sleeping out the window.
 */
export async function causeLayoutShift(page: Page, stepPx = 60): Promise<number> {
  await page.evaluate(() => {
    const shifts: number[] = [];
    (window as unknown as { countedShifts: number[] }).countedShifts = shifts;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as Array<{ value: number; hadRecentInput: boolean }>) if (!entry.hadRecentInput) shifts.push(entry.value);
    }).observe({ type: 'layout-shift' });
  });
  let value = 0;
  await expect
    .poll(
      async () => {
        value = await page.evaluate(async (step) => {
          let banner = document.getElementById('e2e-banner');
          if (!banner) {
            banner = document.createElement('div');
            banner.id = 'e2e-banner';
            banner.textContent = 'A late banner';
            banner.style.height = '0px';
            document.body.prepend(banner);
          }
          banner.style.height = `${parseInt(banner.style.height, 10) + step}px`;
          // Layout shifts are reported after the next frame is rendered.
          await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
          return (window as unknown as { countedShifts: number[] }).countedShifts.reduce((sum, shift) => sum + shift, 0);
        }, stepPx);
        return value;
      },
      { message: 'no layout shift counted for CLS' },
    )
    .toBeGreaterThan(0);
  return value;
}

/**
 * Keeps every layout shift the pages of this `page` report from their start, for `pageCls`. Call
 * before the page is opened.
 */
export async function recordLayoutShifts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const shifts: Array<{ value: number; startTime: number }> = [];
    (window as unknown as { layoutShifts: typeof shifts }).layoutShifts = shifts;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as Array<{ value: number; startTime: number; hadRecentInput: boolean }>)
        if (!entry.hadRecentInput) shifts.push({ value: entry.value, startTime: entry.startTime });
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

/**
 * The page's CLS so far, by the metric's definition: the largest session window of shifts without
 * recent input, a window taking shifts less than 1 s after the previous one and 5 s after its first.
 * Needs `recordLayoutShifts` before the page was opened.
 */
export async function pageCls(page: Page): Promise<number> {
  return page.evaluate(() => {
    let largest = 0;
    let session = { first: -Infinity, last: -Infinity, value: 0 };
    for (const shift of (window as unknown as { layoutShifts: Array<{ value: number; startTime: number }> }).layoutShifts) {
      if (shift.startTime - session.last < 1000 && shift.startTime - session.first < 5000) session.value += shift.value;
      else session = { first: shift.startTime, last: shift.startTime, value: shift.value };
      session.last = shift.startTime;
      largest = Math.max(largest, session.value);
    }
    return largest;
  });
}

/**
 * Resolves once the page's first interaction is timed and web-vitals has taken it in: the
 * browser has queued Event Timing's `first-input` entry, and two idle periods have passed (web-vitals
 * processes interaction entries in an idle callback, capped at 1 s, registered when its observer is
 * notified; a page hidden before that reports no INP). Events to wait on, not a sleep.
 */
export async function interactionTimed(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate(() => performance.getEntriesByType('first-input').length), { message: 'the browser timed no interaction' }).toBeGreaterThan(0);
  await page.evaluate(async () => {
    // With web-vitals' own cap (1 s), so a page that never goes idle does not stall the test.
    for (let period = 0; period < 2; period++) await new Promise<void>((resolve) => requestIdleCallback(() => resolve(), { timeout: 1000 }));
  });
}
