import { expect, test } from '@playwright/test';
import { startBrowserHarness, type BrowserHarness } from './support/browser-harness';

/**
 * The page transport in real Chromium: keepalive fetches within the 64 KiB in-flight budget,
 * `sendBeacon` past it or where `fetch` is missing, plain fetches otherwise.
 */

const ENTRY = `
import { createPageTransport, pageRequestBytes } from './src/browser/page-transport';
import { setPageLeaving } from './src/browser/page-leaving';
import { pageState } from './src/browser/page-state';
const beacons: string[] = [];
const realBeacon = navigator.sendBeacon.bind(navigator);
navigator.sendBeacon = (url: string | URL, data?: BodyInit | null) => {
  beacons.push(String(url));
  return realBeacon(url, data);
};
(window as any).beacons = beacons;
// Each fetch the page makes from now on, as "url keepalive" or "url plain".
(window as any).recordFetches = () => {
  const started: string[] = [];
  const realFetch = window.fetch;
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    started.push(\`\${String(input)} \${init?.keepalive ? 'keepalive' : 'plain'}\`);
    return realFetch(input, init);
  };
  return started;
};
(window as any).createPageTransport = createPageTransport;
(window as any).pageRequestBytes = pageRequestBytes;
(window as any).setPageLeaving = setPageLeaving;
(window as any).pageState = pageState;
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

test('without fetch, a request meant to outlive the page (keepalive) goes as a beacon', async ({ page }) => {
  const result = await page.evaluate(async () => {
    (window as any).fetch = undefined;
    const transport = (window as any).createPageTransport();
    const response = await transport.send({ url: '/collect/no-fetch', body: '{"a":1}', headers: { 'content-type': 'text/plain' }, keepalive: true });
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

test('byte bodies (OTLP protobuf) count their byteLength against the keepalive budget and arrive unchanged', async ({ page }) => {
  const result = await page.evaluate(async () => {
    const transport = (window as any).createPageTransport();
    const body = new Uint8Array(30_000).fill(0x41);
    const sends = [1, 2, 3].map((n) => transport.send({ url: `/collect/b${n}`, body, headers: { 'content-type': 'application/x-protobuf' }, keepalive: true }));
    const statuses = (await Promise.all(sends)).map((response: { status: number }) => response.status);
    return { statuses, beacons: (window as any).beacons as string[] };
  });
  // As with text: two fit 65,536 bytes together, the third tries a beacon, then a plain fetch.
  expect(result.beacons).toEqual(['/collect/b3']);
  expect(result.statuses).toEqual([204, 204, 204]);
  await expect.poll(() => harness.received.filter((request) => request.method === 'POST').length).toBe(3);
  expect(harness.received.filter((request) => request.method === 'POST').every((request) => request.body === 'A'.repeat(30_000))).toBe(true);
});

test('keepalive requests sent one after another, each near the whole budget, all go as keepalive fetches: the budget is given back only once the browser has', async ({ page }) => {
  const result = await page.evaluate(async () => {
    const started: string[] = (window as any).recordFetches();
    const transport = (window as any).createPageTransport();
    const outcomes: Array<number | string> = [];
    for (let n = 0; n < 6; n++) {
      try {
        outcomes.push((await transport.send({ url: `/collect/s${n}`, body: 'z'.repeat(60_000), headers: { 'content-type': 'text/plain' } })).status);
      } catch (error) {
        outcomes.push(String(error));
      }
    }
    return { outcomes, kinds: started.map((start) => start.split(' ')[1]) };
  });
  // Chromium frees a keepalive request's quota when the request has finished, which is after its
  // response promise resolves; a budget given back at that point had the next request refused.
  expect(result.outcomes).toEqual([204, 204, 204, 204, 204, 204]);
  expect(result.kinds).toEqual(['keepalive', 'keepalive', 'keepalive', 'keepalive', 'keepalive', 'keepalive']);
  await expect.poll(() => harness.received.filter((request) => request.path.startsWith('/collect/s')).length).toBe(6);
});

test('on a live page, sends past the budget wait for it and each goes as a keepalive fetch once its body fits', async ({ page }) => {
  const result = await page.evaluate(async () => {
    const started: string[] = (window as any).recordFetches();
    const transport = (window as any).createPageTransport();
    const sizes = [30_000, 30_000, 60_000, 20_000, 40_000];
    const statuses = await Promise.all(
      sizes.map((size, n) => transport.send({ url: `/collect/w${n}`, body: 'w'.repeat(size), headers: { 'content-type': 'text/plain' } }).then((response: { status: number }) => response.status)),
    );
    return { statuses, started, beacons: (window as any).beacons as string[] };
  });
  expect(result.statuses).toEqual([204, 204, 204, 204, 204]);
  expect(result.beacons).toEqual([]);
  // The first two fit together and went at once; the others waited (none fell back to a plain
  // fetch or a beacon) and each went as a keepalive fetch when the budget had room for its body.
  expect(result.started.slice(0, 2)).toEqual(['/collect/w0 keepalive', '/collect/w1 keepalive']);
  expect(result.started.every((start: string) => start.endsWith(' keepalive'))).toBe(true);
  expect(result.started.map((start: string) => start.split(' ')[0]).sort()).toEqual(['/collect/w0', '/collect/w1', '/collect/w2', '/collect/w3', '/collect/w4']);
  await expect.poll(() => harness.received.filter((request) => request.path.startsWith('/collect/w')).length).toBe(5);
});

test('exporters pack to one larger request while the page is visible, and to the keepalive budget while it is hidden, being left, or flushing early', async ({ page }) => {
  const sizes = await page.evaluate(() => {
    const w = window as any;
    const visible = w.createPageTransport().requestBytes();
    w.pageState.keepaliveSizedFlushes = 1;
    const earlyFlush = w.pageRequestBytes();
    w.pageState.keepaliveSizedFlushes = 0;
    w.setPageLeaving(true);
    const leaving = w.pageRequestBytes();
    w.setPageLeaving(false);
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    const hidden = w.pageRequestBytes();
    return { visible, earlyFlush, leaving, hidden };
  });
  expect(sizes).toEqual({ visible: 360_000, earlyFlush: 60_000, leaving: 60_000, hidden: 60_000 });
});

test('a visible page sends a body past the keepalive budget as one plain fetch, at once', async ({ page }) => {
  const result = await page.evaluate(async () => {
    const started: string[] = (window as any).recordFetches();
    const transport = (window as any).createPageTransport();
    const response = await transport.send({ url: '/collect/burst', body: `{"text":"${'b'.repeat(300_000)}é"}`, headers: { 'content-type': 'application/json' } });
    return { status: response.status, started, beacons: (window as any).beacons as string[] };
  });
  expect(result).toEqual({ status: 204, started: ['/collect/burst plain'], beacons: [] });
  // The text went as UTF-8 (é as two bytes) under the request's own content-type.
  await expect.poll(() => harness.received.find((request) => request.path === '/collect/burst')?.body).toBe(`{"text":"${'b'.repeat(300_000)}é"}`);
  expect(harness.received.find((request) => request.path === '/collect/burst')?.headers['content-type']).toBe('application/json');
  expect(harness.received.find((request) => request.path === '/collect/burst')?.headers['content-length']).toBe(String(300_000 + 13));
});
