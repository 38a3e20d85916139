import { devViewer, expect, test } from 'isometer/playwright';
import { viewerState, pagePoints } from './viewer-state';
import { flushPage, openShop, waitForProducts } from './demo-page';
import { VIEWER_ORIGIN } from './demo-port';
import { DEMO_VARIANTS } from './demo-variants';

/**
 * What a page records in its last moments still arrives: isometer flushes when the page is
 * hidden (`visibilitychange`) or left (`pagehide`), through keepalive requests that outlive it.
 */
const viewer = devViewer(VIEWER_ORIGIN);

test.beforeEach(async () => {
  await viewer.reset();
});

/** The page's `cart.add` total and its `cart.size` gauge, as the viewer holds them for its trace. */
async function cartInCollector(traceId: string): Promise<{ added: number; size: number | undefined }> {
  const state = await viewerState();
  const added = pagePoints(state, 'cart.add', traceId).reduce((sum, point) => sum + point.sum, 0);
  const size = pagePoints(state, 'cart.size', traceId).at(-1)?.last;
  return { added, size };
}

for (const variant of DEMO_VARIANTS) {
  test.describe(`${variant.name} page`, () => {
    test('a counter and a gauge recorded just before the page closes arrive', async ({ page }) => {
      const { traceId } = await openShop(page, variant, 1);
      await waitForProducts(page);
      await flushPage(page);
      await page.locator('[data-add="kit-home"]').click();
      // Closed for good: no interval flush can send it later; only the page-hide flush can.
      await page.close({ runBeforeUnload: true });
      await expect.poll(() => cartInCollector(traceId), { timeout: 15_000 }).toEqual({ added: 1, size: 1 });
    });

    test('a counter recorded just before the page is hidden leaves with the hide and arrives', async ({ page, metrics }) => {
      const { traceId } = await openShop(page, variant, 1);
      await waitForProducts(page);
      await flushPage(page);
      // Recording and hiding in one task: no timer (the 2 s interval flush) can run in between, so
      // a batch holding the point by the time the microtasks settle was sent because of the hide.
      const sentOnHide = await page.evaluate(async () => {
        const capture = (globalThis as unknown as { __ISOMETER_CAPTURE__: { batches: Array<{ points: Array<{ name: string; sum?: number }> }> } }).__ISOMETER_CAPTURE__;
        const before = capture.batches.length;
        (document.querySelector('[data-add="kit-starter"]') as HTMLButtonElement).click();
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
        document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
        for (let turn = 0; turn < 100 && capture.batches.length === before; turn++) await Promise.resolve();
        return capture.batches.slice(before).flatMap((batch) => batch.points.filter((point) => point.name === 'cart.add').map((point) => point.sum));
      });
      expect(sentOnHide).toEqual([1]);
      await expect(metrics).toHaveCounter('cart.add', { value: 1, attributes: { plan: 'hobby' } });
      await expect.poll(() => cartInCollector(traceId), { timeout: 15_000 }).toEqual({ added: 1, size: 1 });
    });
  });
}
