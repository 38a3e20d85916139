import { devViewer, expect, test } from 'isometer/playwright';
import { VIEWER_ORIGIN } from './demo-port';
import { DEMO_VARIANTS } from './demo-variants';
import { openShop, waitForProducts } from './demo-page';

/**
 * isometer/playwright used as an app's own tests would use it: the `metrics` fixture captures
 * what the page exports without any change to the demo, `metrics.server` reads the server
 * side of the viewer the demo starts, and the matchers wait for the data instead of sleeping.
 */
test.use({ isometerServer: { url: VIEWER_ORIGIN, format: 'isometer-dev' } });

test.beforeEach(async () => {
  await devViewer(VIEWER_ORIGIN).reset();
});

for (const variant of DEMO_VARIANTS) {
  test.describe(`${variant.name} page`, () => {
    test('counters, gauges, distributions and spans the page recorded are captured as exported', async ({ page, metrics }) => {
      const { traceId } = await openShop(page, variant, 1);
      await waitForProducts(page);
      const product = page.locator('[data-add="gauge-pressure"]');
      await product.click();
      await product.click();
      await expect(page.getByTestId('cart-count')).toHaveText('2');

      await expect(metrics).toHaveCounter('cart.add', { value: 2, attributes: { plan: 'pro' } });
      await expect(metrics).not.toHaveCounter('cart.add', { attributes: { plan: 'team' } });
      await expect(metrics).toHaveGauge('cart.size', { value: 2 });

      await page.getByTestId('nav-cart').click();
      await expect(page.getByTestId('view-cart')).toBeVisible();
      await expect(metrics).toHaveCounter('ui.navigation', { value: 1, attributes: { from: 'shop', to: 'cart' } });
      await expect(metrics).toHaveDistribution('ui.render_time', { count: 1, min: (ms) => ms >= 0, attributes: { view: 'cart' } });

      await expect(metrics).toHaveSpan({ op: 'pageload', traceId, sampled: true });
      await expect(metrics).toHaveSpan({ op: 'http.client', name: 'GET /api/products', traceId });
      await expect(metrics).toHaveSpan({ op: 'ui.action', name: 'add to cart', attributes: { 'product.id': 'gauge-pressure' } });
    });

    test('a sampled page and the server share its trace and decision', async ({ page, metrics }) => {
      const { traceId } = await openShop(page, variant, 1);
      await expect(metrics).toShareTraceWith(metrics.server!, { traceId, sampled: true, timeout: 15_000 });
      await expect(metrics.server!).toHaveSpan({ op: 'http.server', name: 'GET /api/products', traceId, sampled: true, timeout: 15_000 });
    });

    test('an unsampled page and the server share its trace and its "not sampled" decision, with no spans', async ({ page, metrics }) => {
      const { traceId, sampled } = await openShop(page, variant, 0);
      expect(sampled).toBe(false);
      await expect(metrics).toShareTraceWith(metrics.server!, { traceId, sampled: false, timeout: 15_000 });
      await expect(metrics.server!).toHaveDistribution('http.server.duration', { count: (n) => n >= 1, attributes: { 'http.route': '/api/products' }, timeout: 15_000 });
      await expect(metrics).not.toHaveSpan({ traceId });
      await expect(metrics.server!).not.toHaveSpan({ traceId });
    });
  });
}
