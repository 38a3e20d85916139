import { expect, test } from '@playwright/test';
import { startBrowserHarness, type BrowserHarness } from './support/browser-harness';

/**
 * The page transport in real Chromium: keepalive fetches within the 64 KiB in-flight budget,
 * `sendBeacon` past it or where `fetch` is missing, plain fetches otherwise.
 */

const ENTRY = `
import { createPageTransport } from './src/browser/page-transport';
const beacons: string[] = [];
const realBeacon = navigator.sendBeacon.bind(navigator);
navigator.sendBeacon = (url: string | URL, data?: BodyInit | null) => {
  beacons.push(String(url));
  return realBeacon(url, data);
};
(window as any).beacons = beacons;
(window as any).createPageTransport = createPageTransport;
`;

let harness: BrowserHarness;

test.beforeEach(async ({ page }) => {
  harness = await startBrowserHarness(ENTRY);
  await page.goto(harness.origin);
});

test.afterEach(async () => {
  await harness.close();
});

test('keepalive requests go as keepalive fetches within the 64 KiB budget; past it a beacon is tried, and when the browser refuses it (same quota) a plain fetch still delivers', async ({ page }) => {
  const result = await page.evaluate(async () => {
    const transport = (window as any).createPageTransport();
    const body = 'x'.repeat(30_000);
    const sends = [1, 2, 3].map((n) => transport.send({ url: `/collect/${n}`, body, headers: { 'content-type': 'text/plain' }, keepalive: true }));
    const statuses = (await Promise.all(sends)).map((response: { status: number }) => response.status);
    return { statuses, beacons: (window as any).beacons as string[] };
  });
  // Two bodies of 30,000 bytes fit 65,536 together; the third would not, so a beacon was tried. Chromium
  // counts beacons against the same keepalive quota and refuses it, so the transport sent a plain fetch.
  expect(result.beacons).toEqual(['/collect/3']);
  expect(result.statuses).toEqual([204, 204, 204]);
  await expect
    .poll(() =>
      harness.received
        .filter((request) => request.method === 'POST')
        .map((request) => request.path)
        .sort(),
    )
    .toEqual(['/collect/1', '/collect/2', '/collect/3']);
  expect(harness.received.filter((request) => request.method === 'POST').every((request) => request.body.length === 30_000)).toBe(true);
});

test('without fetch, a request that fits a beacon goes as a beacon', async ({ page }) => {
  const result = await page.evaluate(async () => {
    (window as any).fetch = undefined;
    const transport = (window as any).createPageTransport();
    const response = await transport.send({ url: '/collect/no-fetch', body: '{"a":1}', headers: { 'content-type': 'text/plain' } });
    return { status: response.status, beacons: (window as any).beacons as string[] };
  });
  expect(result).toEqual({ status: 202, beacons: ['/collect/no-fetch'] });
  await expect.poll(() => harness.received.filter((request) => request.method === 'POST').map((request) => request.body)).toEqual(['{"a":1}']);
});

test('a request with headers a beacon cannot carry is never sent as a beacon', async ({ page }) => {
  const result = await page.evaluate(async () => {
    const transport = (window as any).createPageTransport();
    const body = 'y'.repeat(40_000);
    const sends = [1, 2].map((n) => transport.send({ url: `/collect/h${n}`, body, headers: { 'content-type': 'text/plain', 'x-api-key': 'k' }, keepalive: true }));
    const statuses = (await Promise.all(sends)).map((response: { status: number }) => response.status);
    return { statuses, beacons: (window as any).beacons as string[] };
  });
  expect(result.beacons).toEqual([]);
  expect(result.statuses).toEqual([204, 204]);
  await expect.poll(() => harness.received.filter((request) => request.headers['x-api-key'] === 'k').length).toBe(2);
});
