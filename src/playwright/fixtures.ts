import { test as base } from '@playwright/test';
import { createIsometerMetrics, type IsometerMetrics } from './isometer-metrics';
import { installPageCapture } from './page-capture';
import { resolveServerOption, type IsometerServerOption } from './resolve-server-option';

/**
 * The fixtures `test` adds.
 *
 * @example
 * test('…', async ({ metrics }) => { await expect(metrics).toHaveSpan({ op: 'pageload' }); });
 */
export interface IsometerFixtures {
  /** What isometer exported in this test's pages (and `metrics.server`, with `isometerServer`). */
  metrics: IsometerMetrics;
}

/**
 * The options `test` adds (set them with `test.use` or in the config's `use`).
 *
 * @example
 * test.use({ isometerServer: { url: 'http://127.0.0.1:8976', format: 'isometer-dev' } });
 */
export interface IsometerFixtureOptions {
  /** The server's collector for `metrics.server`; see `IsometerServerOption`. Default: none. */
  isometerServer: IsometerServerOption | undefined;
}

/**
 * Playwright's `test` with a `metrics` fixture. The fixture captures what isometer exports in
 * every page of the test's browser context with no change to the app: an init script adds a
 * capture exporter to isometer's client as soon as the page creates it (see
 * `installIsometerCapture`). Use it with this package's `expect`.
 *
 * @example
 * import { test, expect } from 'isometer/playwright';
 *
 * test.use({ isometerServer: 'http://127.0.0.1:3000/__telemetry' });
 *
 * test('checkout is counted on both sides', async ({ page, metrics }) => {
 *   await page.goto('/shop');
 *   await page.getByRole('button', { name: 'Buy' }).click();
 *   await expect(metrics).toHaveCounter('checkout.click', { value: 1, attributes: { plan: 'pro' } });
 *   await expect(metrics).toShareTraceWith(metrics.server!, { sampled: true });
 * });
 */
export const test = base.extend<IsometerFixtures & IsometerFixtureOptions>({
  isometerServer: [undefined, { option: true }],
  metrics: async ({ context, isometerServer }, use) => {
    const capture = await installPageCapture(context);
    await use(createIsometerMetrics(capture, resolveServerOption(isometerServer)));
  },
});
