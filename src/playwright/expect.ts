import { expect as base } from '@playwright/test';
import { isometerMatchers } from './matchers';

/**
 * Playwright's `expect` with isometer's matchers: `toHaveCounter`, `toHaveGauge`,
 * `toHaveDistribution`, `toHaveSpan` and `toShareTraceWith`, all retried until the expect
 * timeout, for the `metrics` fixture, `metrics.server` or any telemetry source.
 *
 * @example
 * await expect(metrics).toHaveDistribution('ui.render_time', { count: 1, attributes: { view: 'cart' } });
 * await expect(metrics).not.toHaveCounter('checkout.failed');
 */
export const expect = base.extend(isometerMatchers);
