import { expect } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { viewerTrace } from './viewer-state';
import { DEMO_ORIGIN } from './demo-port';

/**
 * Waits until the demo server has exported everything it finished so far. It sends the server
 * one request of its own, in a sampled trace the test names, and waits for that request's span
 * in the viewer: the server exports an interval's spans and metrics together and in order,
 * so once the marker is in, everything the server finished before it is too. An event to wait
 * on, where the server's 2 s flush interval would otherwise mean a fixed sleep.
 *
 * @example
 * await page.getByTestId('checkout-submit').click();
 * await serverCaughtUp();
 */
export async function serverCaughtUp(): Promise<void> {
  const traceId = randomBytes(16).toString('hex');
  const response = await fetch(`${DEMO_ORIGIN}/api/orders`, { headers: { 'sentry-trace': `${traceId}-${randomBytes(8).toString('hex')}-1` } });
  await response.arrayBuffer();
  await expect
    .poll(async () => (await viewerTrace(traceId))?.spanCounts.server ?? 0, { message: `the demo server did not export the marker request (trace ${traceId})`, timeout: 15_000 })
    .toBeGreaterThan(0);
}
