import { devViewer, expect, test } from 'isometer/playwright';
import { viewerState, type ViewerSeries, type ViewerState } from './viewer-state';
import { causeLayoutShift, interactionTimed, openShop, pageCls, recordLayoutShifts, setVisibility, waitForProducts } from './demo-page';
import { VIEWER_ORIGIN } from './demo-port';
import { DEMO_VARIANTS } from './demo-variants';

/**
 * The five vitals arrive as `browser.web_vital.*` distributions in the page-load trace, one final
 * value each per page load: LCP, FCP and TTFB when web-vitals has them; INP and CLS only when the
 * page is finally left, with the value they had then (not the one of an earlier hide).
 */
const VITALS = ['lcp', 'inp', 'cls', 'fcp', 'ttfb'] as const;
const collector = devViewer(VIEWER_ORIGIN);

test.beforeEach(async () => {
  await collector.reset();
});

/** The points of a vital that the page load with this trace sent (its soft navigations' apart). */
function pageLoadPoints(state: ViewerState, name: string, traceId: string): ViewerSeries['points'] {
  return state.series
    .filter((series) => series.origin === 'browser' && series.name === name && series.attributes.navigation_type !== 'soft-navigation')
    .flatMap((series) => series.points)
    .filter((point) => point.exemplars.some((exemplar) => exemplar.traceId === traceId));
}

/** Per vital, the count and largest value the collector received from the page load with this trace. */
function received(state: ViewerState, traceId: string): Record<string, { count: number; max: number }> {
  return Object.fromEntries(
    VITALS.map((vital) => {
      const points = pageLoadPoints(state, `browser.web_vital.${vital}`, traceId);
      return [vital, { count: points.reduce((sum, point) => sum + (point.count ?? 0), 0), max: Math.max(-1, ...points.map((point) => point.max ?? -1)) }];
    }),
  );
}

for (const variant of DEMO_VARIANTS) {
  test.describe(`${variant.name} page`, () => {
    test('one final value per vital: INP and CLS as they stand when the page is closed, after hiding, showing and more interaction', async ({ page, metrics }) => {
      await recordLayoutShifts(page);
      const { traceId } = await openShop(page, variant, 1);
      await waitForProducts(page);
      expect(await causeLayoutShift(page)).toBeGreaterThan(0);
      await page.getByTestId('work-span').click();
      await expect(page.getByTestId('work-result')).not.toBeEmpty();
      await interactionTimed(page);
      await setVisibility(page, 'hidden');
      const clsAtFirstHide = await pageCls(page);

      // Loading vitals are final as soon as web-vitals reports them.
      for (const vital of ['lcp', 'fcp', 'ttfb']) {
        await expect(metrics).toHaveDistribution(`browser.web_vital.${vital}`, {
          count: 1,
          min: (ms) => ms >= 0,
          max: (ms) => ms < 60_000,
          attributes: { route: variant.path, navigation_type: 'navigate' },
        });
      }
      const ratings = metrics
        .points()
        .filter((point) => point.name.startsWith('browser.web_vital.'))
        .map((point) => String(point.attributes.rating));
      expect(ratings.every((rating) => ['good', 'needs-improvement', 'poor'].includes(rating))).toBe(true);
      // Recorded inside the page-load span: each exemplar carries the page's trace.
      for (const point of metrics.points().filter((entry) => entry.name.startsWith('browser.web_vital.')))
        expect(
          point.exemplars.map((exemplar) => exemplar.traceId),
          point.name,
        ).toContain(traceId);
      // INP and CLS are not final at the first hide: the user may come back.
      await expect(metrics).not.toHaveDistribution('browser.web_vital.cls');
      await expect(metrics).not.toHaveDistribution('browser.web_vital.inp');

      // Back, more shifting and clicking, hidden again, then closed. The second shift moves the
      // content five times as far as the first, so it raises the page's CLS whether or not it falls
      // in the first shift's session window (that depends on how fast this machine runs the steps).
      await setVisibility(page, 'visible');
      expect(await causeLayoutShift(page, 300)).toBeGreaterThan(0);
      const reloaded = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/products');
      await page.getByTestId('products-reload').click();
      await reloaded;
      // The reloaded list is drawn (and any shift it makes reported) by the second frame after.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      await interactionTimed(page);
      await setVisibility(page, 'hidden');
      const clsAtClose = await pageCls(page);
      expect(clsAtClose).toBeGreaterThan(clsAtFirstHide);
      await page.close({ runBeforeUnload: true });

      await expect
        .poll(async () => received(await viewerState(), traceId), { timeout: 15_000 })
        .toMatchObject({ lcp: { count: 1 }, inp: { count: 1 }, cls: { count: 1 }, fcp: { count: 1 }, ttfb: { count: 1 } });
      const final = received(await viewerState(), traceId);
      // The CLS sent is the page's CLS when it was closed, not the one at the first hide (a shift
      // after the last reading, such as a late redraw of the reloaded list, could only raise it).
      // The viewer rounds values to four significant digits.
      expect(final.cls.max).toBeGreaterThanOrEqual(clsAtClose * (1 - 1e-3));
      expect(final.cls.max).toBeGreaterThan(clsAtFirstHide * (1 + 1e-3));
      expect(final.inp.max).toBeGreaterThanOrEqual(0);
    });

    test('soft navigations get their own vitals where the browser exposes them, and none are invented elsewhere', async ({ page }) => {
      const { traceId } = await openShop(page, variant, 1);
      await waitForProducts(page);
      const supported = await page.evaluate(() => PerformanceObserver.supportedEntryTypes.includes('soft-navigation'));
      // A real click that changes the URL and paints: what the browser counts as a soft navigation.
      await page.getByTestId('nav-cart').click();
      await expect(page.getByTestId('view-cart')).toBeVisible();
      await interactionTimed(page);
      await page.close({ runBeforeUnload: true });

      // The page load's own LCP arrived (a soft navigation's, in the same trace, is counted apart).
      await expect.poll(async () => received(await viewerState(), traceId).lcp.count, { timeout: 15_000 }).toBe(1);
      const soft = (await viewerState()).series.filter(
        (series) => series.origin === 'browser' && series.name.startsWith('browser.web_vital.') && series.attributes.navigation_type === 'soft-navigation',
      );
      if (!supported) {
        expect(soft).toEqual([]);
        return;
      }
      await expect
        .poll(
          async () => (await viewerState()).series.filter((series) => series.origin === 'browser' && series.attributes.navigation_type === 'soft-navigation').map((series) => series.attributes.route),
          { timeout: 15_000 },
        )
        .toContain(`${variant.path}cart`);
    });
  });
}
