import { expect, test } from 'isometer/playwright';
import { DEMO_ORIGIN, VIEWER_ORIGIN } from './demo-port';

/**
 * `metrics.server` is scoped to the test that reads it: the demo's viewer keeps everything
 * the server recorded since it started, and the fixture marks where each test began. No reset
 * between the tests: each product listing does exactly one cache lookup, and each test sees one.
 */
test.use({ isometerServer: { url: VIEWER_ORIGIN, format: 'isometer-dev', service: 'node-demo' } });

for (const name of ['first', 'second']) {
  test(`the ${name} test sees only its own server-side lookup (value 1)`, async ({ request, metrics }) => {
    const response = await request.get(`${DEMO_ORIGIN}/api/products`);
    expect(response.ok()).toBe(true);
    await expect(metrics.server!).toHaveCounter('cache.operation.count', { value: 1, attributes: { operation: 'get' }, timeout: 15_000 });
  });
}
