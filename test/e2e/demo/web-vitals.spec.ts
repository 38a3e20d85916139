import { devViewer, expect, test } from 'isometer/playwright';
import { viewerState, pagePoints } from './viewer-state';
import { causeLayoutShift, flushPage, interactionTimed, openShop, setVisibility, waitForProducts } from './demo-page';
import { VIEWER_ORIGIN } from './demo-port';
import { DEMO_VARIANTS } from './demo-variants';

/**
 * The five vitals arrive as `web_vitals.*` distributions, linked to the page-load trace, once
 * each: the test makes a layout shift (CLS) and a real click (INP), then hides the page.
 */
const VITALS = ['lcp', 'inp', 'cls', 'fcp', 'ttfb'] as const;
const viewer = devViewer(VIEWER_ORIGIN);

test.beforeEach(async () => {
  await viewer.reset();
});

for (const variant of DEMO_VARIANTS) {
  test.describe(`${variant.name} page`, () => {
    test('LCP, INP, CLS, FCP and TTFB arrive once each, in the page-load trace', async ({ page, metrics }) => {
      const { traceId } = await openShop(page, variant, 1);
      await waitForProducts(page);
      expect(await causeLayoutShift(page)).toBeGreaterThan(0);
      await page.getByTestId('work-span').click();
      await expect(page.getByTestId('work-result')).not.toBeEmpty();
      await interactionTimed(page);
      await setVisibility(page, 'hidden');

      for (const vital of VITALS) {
        await expect(metrics).toHaveDistribution(`web_vitals.${vital}`, { count: 1, attributes: { route: variant.path, navigation_type: 'navigate' } });
      }
      await expect(metrics).toHaveDistribution('web_vitals.cls', { min: (value) => value > 0 });
      for (const vital of ['lcp', 'fcp', 'ttfb', 'inp']) await expect(metrics).toHaveDistribution(`web_vitals.${vital}`, { min: (ms) => ms >= 0, max: (ms) => ms < 60_000 });
      const ratings = metrics
        .points()
        .filter((point) => point.name.startsWith('web_vitals.'))
        .map((point) => point.attributes.rating);
      expect(ratings.every((rating) => ['good', 'needs-improvement', 'poor'].includes(String(rating)))).toBe(true);
      // Each vital was recorded inside the page-load span: its exemplar carries the page's trace.
      for (const point of metrics.points().filter((p) => p.name.startsWith('web_vitals.'))) {
        expect(
          point.exemplars.map((exemplar) => exemplar.traceId),
          point.name,
        ).toContain(traceId);
      }

      // Back, more shifting and clicking, hidden again: web-vitals would report CLS and INP anew.
      await setVisibility(page, 'visible');
      expect(await causeLayoutShift(page)).toBeGreaterThan(0);
      await page.getByTestId('products-reload').click();
      await setVisibility(page, 'hidden');
      await flushPage(page);
      for (const vital of VITALS) await expect(metrics).toHaveDistribution(`web_vitals.${vital}`, { count: 1 });

      // And the demo's viewer received exactly one of each from this page.
      await expect
        .poll(
          async () => {
            const state = await viewerState();
            return Object.fromEntries(VITALS.map((vital) => [vital, pagePoints(state, `web_vitals.${vital}`, traceId).reduce((sum, point) => sum + (point.count ?? 0), 0)]));
          },
          { timeout: 15_000 },
        )
        .toEqual({ lcp: 1, inp: 1, cls: 1, fcp: 1, ttfb: 1 });
    });
  });
}
