import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {} from '../support/isometer-page';
import { SCRIPT_TAG_BUILD, requireBuild, scriptTagFile } from '../support/paths';
import { sumPointsIn } from '../../support/otlp-json-sum-points';

/** Fetch's keepalive budget (and sendBeacon's): in-flight keepalive bodies may not pass 64 KiB. */
const KEEPALIVE_BUDGET = 65_536;
const SERIES = 400;

const PAGE = `<!doctype html><meta charset="utf-8"><title>page-hide delivery</title>
<script src="/isometer.min.js"></script>
<script>
  Isometer.init({ integrations: [], flushIntervalMs: 0, exporters: [Isometer.otlpExporter({ endpoint: '/collect' })] });
</script>`;

interface Arrival {
  bytes: number;
  points: number;
}

let server: Server;
let origin: string;
const arrivals: Arrival[] = [];
let arrived: () => void = () => undefined;

test.beforeAll(async () => {
  requireBuild(SCRIPT_TAG_BUILD);
  server = createServer((request, response) => {
    if (request.method === 'POST' && request.url === '/collect/v1/metrics') {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks);
        arrivals.push({ bytes: body.length, points: sumPointsIn(body) });
        response.writeHead(200).end('{}');
        arrived();
      });
      return;
    }
    const scriptFile = scriptTagFile(request.url);
    if (scriptFile !== undefined) {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(scriptFile));
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('data recorded just before the page is hidden leaves in requests that each fit the keepalive budget', async ({ page }) => {
  await page.goto(`${origin}/`);
  // Enough series (each with a long attribute) that one OTLP body would be far over 64 KiB.
  const recorded = await page.evaluate((series) => {
    const padding = 'x'.repeat(300);
    for (let i = 0; i < series; i++) window.Isometer.metrics.count('cart.add', 1, { attributes: { sku: `sku-${i}`, note: padding } });
    return series;
  }, SERIES);
  const allArrived = new Promise<void>((resolve) => {
    arrived = () => {
      if (arrivals.reduce((total, arrival) => total + arrival.points, 0) >= recorded) resolve();
    };
    // Recording this much already started an early flush, whose requests may all be in by now.
    arrived();
  });
  // The page is hidden (tab switch, app switch, navigation away): no flush() call from the test.
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await allArrived;
  expect(arrivals.length).toBeGreaterThan(1);
  for (const arrival of arrivals) expect(arrival.bytes).toBeLessThanOrEqual(KEEPALIVE_BUDGET);
  expect(arrivals.reduce((total, arrival) => total + arrival.points, 0)).toBe(SERIES);
  expect(await page.evaluate(() => window.Isometer.getDroppedCounts())).toEqual({});
});
