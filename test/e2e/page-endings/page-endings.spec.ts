import { expect, test, type Page } from '@playwright/test';
import type {} from '../support/isometer-page';
import { SCRIPT_TAG_BUILD, requireBuild } from '../support/paths';
import { CHROMIUM_ARGS, findChromium } from '../../../scripts/find-chromium.mjs';
import { startEndingsServers, type EndingsServers } from './collector';

/**
 * Data recorded just before a page goes away arrives, for every way a page goes away, to a
 * same-origin and to a cross-origin collector (with its CORS preflight). Nothing in the test calls
 * flush(): the page records and is left. The old code flushed at `pagehide` with plain fetches,
 * which the browser cancels with the page.
 */

const SMALL = 10;

// Playwright turns Chromium's back/forward cache off (--disable-back-forward-cache); this file
// needs it on, for the page that enters it (and every other page here may use it, as users' do).
test.use({ launchOptions: { executablePath: findChromium().executablePath, args: CHROMIUM_ARGS, ignoreDefaultArgs: ['--disable-back-forward-cache'] } });
let servers: EndingsServers;

test.beforeAll(async () => {
  requireBuild(SCRIPT_TAG_BUILD);
  servers = await startEndingsServers();
});

test.afterAll(async () => {
  await servers.close();
});

test.beforeEach(() => servers.collector.reset());

/**
 * Counts, in every page this `page` loads, the fetches to the collector that have not settled yet:
 * a page left while one is in flight keeps its request for the next load again, so a test that
 * reloads to check nothing is sent twice waits for none first.
 */
async function countCollectorFetches(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const tracked = { pending: 0 };
    (window as unknown as { collectorFetches: typeof tracked }).collectorFetches = tracked;
    const original = window.fetch;
    window.fetch = function (input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
      const result = original.call(this, input, init);
      if (!String(input instanceof Request ? input.url : input).includes('/collect/')) return result;
      tracked.pending++;
      // Settled before the caller's own callbacks run (this one is attached first).
      result.then(
        () => tracked.pending--,
        () => tracked.pending--,
      );
      return result;
    };
  });
}

/** Fetches to the collector the page has in flight (see `countCollectorFetches`). */
function collectorFetchesInFlight(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { collectorFetches: { pending: number } }).collectorFetches.pending);
}

/** The requests the page has kept for a next load, by storage key. */
function unsentKeys(page: Page): Promise<string[]> {
  return page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('isometer:unsent:')));
}

/** Records `count` counter series, each `padding` characters long, named `<prefix>-<i>`. */
function record(page: Page, prefix: string, count: number, padding = 0): Promise<void> {
  return page.evaluate(
    ([prefix, count, padding]) => {
      const note = 'x'.repeat(padding);
      for (let i = 0; i < count; i++) window.Isometer.metrics.count('ending.item', 1, { attributes: { series: `${prefix}-${i}`, ...(padding ? { note } : {}) } });
    },
    [prefix, count, padding] as const,
  );
}

for (const collector of ['same', 'cross'] as const) {
  test.describe(`${collector}-origin collector`, () => {
    const open = async (page: Page): Promise<void> => {
      await countCollectorFetches(page);
      await page.goto(`${servers.pageOrigin}/?collector=${collector}`);
      // isometer's engine (the tag's companion file) has loaded: these are endings of a running
      // page. A page left before that keeps its calls for the next load (test/unit/browser/early-calls.spec.ts).
      await page.waitForFunction(() => window.Isometer.getClient() !== undefined);
    };

    test('link navigation', async ({ page }) => {
      await open(page);
      await record(page, 'link', SMALL);
      const arrived = servers.collector.waitForSeries(SMALL);
      await page.click('#next');
      await arrived;
      expect(servers.collector.distinctSeries().size).toBe(SMALL);
    });

    test('location change', async ({ page }) => {
      await open(page);
      const arrived = servers.collector.waitForSeries(SMALL);
      await page.evaluate((count) => {
        for (let i = 0; i < count; i++) window.Isometer.metrics.count('ending.item', 1, { attributes: { series: `location-${i}` } });
        location.href = '/next?collector=none';
      }, SMALL);
      await arrived;
      expect(servers.collector.distinctSeries().size).toBe(SMALL);
    });

    test('page.close()', async ({ page }) => {
      await open(page);
      await record(page, 'close', SMALL);
      const arrived = servers.collector.waitForSeries(SMALL);
      await page.close({ runBeforeUnload: true });
      await arrived;
      expect(servers.collector.distinctSeries().size).toBe(SMALL);
    });

    test('tab hidden', async ({ page }) => {
      await open(page);
      await record(page, 'hidden', SMALL);
      const arrived = servers.collector.waitForSeries(SMALL);
      // Headless Chromium never hides a tab by itself: say so the way the browser would.
      await page.evaluate(() => {
        Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      });
      await arrived;
      expect(servers.collector.distinctSeries().size).toBe(SMALL);
    });

    test('200 KB of series recorded just before leaving: what does not fit the keepalive quota arrives from the next page, once', async ({ page }) => {
      const series = 400;
      await open(page);
      const arrived = servers.collector.waitForSeries(series);
      await page.evaluate((count) => {
        // ≈ 500 bytes a series: ≈ 200 KB, three times the keepalive quota, then straight away gone.
        const note = 'x'.repeat(400);
        for (let i = 0; i < count; i++) window.Isometer.metrics.count('ending.item', 1, { attributes: { series: `bulk-${i}`, note } });
        location.href = `/next?collector=${new URLSearchParams(location.search).get('collector')}`;
      }, series);
      await arrived;
      const { arrivals } = servers.collector;
      expect(servers.collector.distinctSeries().size).toBe(series);
      for (const arrival of arrivals.filter((arrival) => arrival.idempotencyKey === undefined)) expect(arrival.bytes).toBeLessThanOrEqual(65_536);
      // Each kept request was sent once by the next page, under its own key.
      const keys = arrivals.flatMap((arrival) => (arrival.idempotencyKey ? [arrival.idempotencyKey] : []));
      expect(new Set(keys).size).toBe(keys.length);
      // A reload of the next page sends nothing kept twice. (Reload once the page has taken the
      // collector's answers in: a page left before that keeps the request again, rightly.)
      await expect.poll(() => collectorFetchesInFlight(page)).toBe(0);
      const before = arrivals.length;
      await page.reload();
      await page.evaluate(() => window.Isometer.flush());
      expect(arrivals.length).toBe(before);
      expect(await unsentKeys(page)).toEqual([]);
    });

    test('200 KB of series the app flushes itself, then leaves before the collector answers: one request, kept and sent by the next page, once', async ({ page }) => {
      const series = 400;
      await open(page);
      servers.collector.holdOwnSends = true;
      const arrived = servers.collector.waitForSeries(series);
      await page.evaluate((count) => {
        const note = 'x'.repeat(400);
        for (let i = 0; i < count; i++) window.Isometer.metrics.count('ending.item', 1, { attributes: { series: `flushed-${i}`, note } });
        // A visible page's own flush sends the burst as one plain fetch.
        void window.Isometer.flush();
      }, series);
      // The collector has it and has not answered when the page is left: the navigation cancels
      // it, and the page keeps it for the next load.
      await servers.collector.waitForHeld(1);
      await page.click('#next');
      await arrived;
      const { arrivals } = servers.collector;
      expect(arrivals).toHaveLength(1);
      expect(arrivals[0].idempotencyKey).toBeDefined();
      expect(arrivals[0].bytes).toBeGreaterThan(65_536);
      expect(arrivals[0].series).toHaveLength(series);
      expect(servers.collector.distinctSeries().size).toBe(series);
      await expect.poll(() => collectorFetchesInFlight(page)).toBe(0);
      await page.reload();
      await page.evaluate(() => window.Isometer.flush());
      expect(arrivals).toHaveLength(1);
      expect(await unsentKeys(page)).toEqual([]);
    });
  });
}

test.describe('back/forward cache', () => {
  for (const collector of ['same', 'cross'] as const) {
    test(`${collector}-origin collector: entering the back/forward cache`, async ({ page }) => {
      await page.goto(`${servers.pageOrigin}/?collector=${collector}`);
      await record(page, 'bfcache', SMALL);
      const arrived = servers.collector.waitForSeries(SMALL);
      await page.click('#next');
      await arrived;
      // A page restored from the cache fires no load event: wait for its pageshow instead.
      await page.goBack({ waitUntil: 'commit' });
      await page.waitForFunction(() => sessionStorage.getItem('pageshow.persisted') !== null);
      // The page was kept whole (pagehide with persisted) and came back from the cache.
      expect(await page.evaluate(() => [sessionStorage.getItem('pagehide.persisted'), sessionStorage.getItem('pageshow.persisted')])).toEqual(['true', 'true']);
      expect(servers.collector.distinctSeries().size).toBe(SMALL);
    });
  }
});
