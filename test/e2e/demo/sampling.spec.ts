import { devViewer, expect, test } from 'isometer/playwright';
import type { Page, Request } from '@playwright/test';
import { viewerState, viewerTrace, type ViewerTrace } from './viewer-state';
import { flushPage, openShop, recordApiRequests, serverSpanName, waitForProducts, type PageTrace } from './demo-page';
import { DEMO_ORIGIN, VIEWER_ORIGIN } from './demo-port';
import { DEMO_VARIANTS, type DemoVariant } from './demo-variants';
import { serverCaughtUp } from './server-caught-up';

/**
 * The page decides (the server renders its `?rate=` decision into `<meta>`, the page load
 * continues it), and the server follows: every request the page makes carries the page's trace
 * id and decision, and every server span and metric recorded for those requests is in that
 * trace with that decision. Checked in the demo's viewer, which holds both sides.
 */
const viewer = devViewer(VIEWER_ORIGIN);

test.beforeEach(async () => {
  await viewer.reset();
});

/** Search, add to cart, check out: API calls that reach the database, the cache and the upstream. */
async function shop(page: Page): Promise<void> {
  await waitForProducts(page);
  await page.getByTestId('search-input').fill('gauge');
  await page.getByTestId('search-submit').click();
  await expect(page.getByTestId('search-results')).not.toBeEmpty();
  await page.locator('[data-add="gauge-humidity"]').click();
  await page.getByTestId('nav-cart').click();
  await page.getByTestId('checkout-submit').click();
  await expect(page.getByTestId('checkout-result')).toHaveText(/Order #|failed/);
}

/** Each request carried the page's trace id and decision in `sentry-trace` and `baggage`. */
async function expectTraceHeaders(requests: Request[], trace: PageTrace): Promise<void> {
  expect(requests.length).toBeGreaterThan(0);
  for (const request of requests) {
    const headers = await request.allHeaders();
    expect(headers['sentry-trace'], serverSpanName(request)).toMatch(new RegExp(`^${trace.traceId}-[0-9a-f]{16}-${trace.sampled ? 1 : 0}$`));
    expect(headers.baggage, serverSpanName(request)).toContain(`sentry-trace_id=${trace.traceId}`);
    expect(headers.baggage, serverSpanName(request)).toContain(`sentry-sampled=${trace.sampled}`);
  }
}

function serverSpans(trace: ViewerTrace | undefined, op?: string) {
  return (trace?.spans ?? []).filter((span) => span.origin === 'server' && (op === undefined || span.op === op));
}

function sorted(names: string[]): string[] {
  return [...names].sort();
}

for (const variant of DEMO_VARIANTS) {
  /** The page load's own `GET /api/products` requests. */
  function productRequests(load: { requests: Request[] }): Request[] {
    return load.requests.filter((request) => request.method() === 'GET' && new URL(request.url()).pathname === '/api/products');
  }

  test.describe(`${variant.name} page`, () => {
    test("rate=1: the server keeps every span of the page's requests, in the page's trace", async ({ page }) => {
      const requests = recordApiRequests(page);
      const trace = await openShop(page, variant, 1);
      expect(trace.sampled).toBe(true);
      await expect(page.getByTestId('trace-decision')).toHaveAttribute('data-sampled', 'true');
      await expect(page.getByTestId('trace-id')).toHaveText(trace.traceId);
      await shop(page);
      await flushPage(page);
      await serverCaughtUp();

      await expectTraceHeaders(requests, trace);
      const stored = await viewerTrace(trace.traceId);
      // One server span per page request, each in the page's trace: none went missing or elsewhere.
      const apiSpans = serverSpans(stored, 'http.server').filter((span) => span.name.includes(' /api/'));
      expect(sorted(apiSpans.map((span) => span.name))).toEqual(sorted(requests.map(serverSpanName)));
      // The server render of the page is in the trace too (the page continued it from <meta>).
      expect(serverSpans(stored, 'http.server').map((span) => span.name)).toContain(`GET /${variant.name}/:view`);
      expect(serverSpans(stored).every((span) => span.sampled === true)).toBe(true);
      expect(stored!.spanCounts.browser).toBeGreaterThan(0);
      expect(stored!.decision).toBe('sampled');
      expect(stored!.conflict).toBe(false);
      // The server's metrics carry the trace (as exemplars) and the decision.
      const serverMetrics = stored!.metrics.filter((link) => link.origin === 'server');
      expect(serverMetrics.map((link) => link.name)).toEqual(expect.arrayContaining(['http.server.request.duration', 'span.duration']));
      expect(serverMetrics.every((link) => link.sampledValues.every((flag) => flag === true))).toBe(true);
      expect(stored!.metrics.some((link) => link.origin === 'browser')).toBe(true);
    });

    test('rate=0: the server keeps no span of the page\'s trace, and its metrics say "not sampled"', async ({ page }) => {
      const requests = recordApiRequests(page);
      const trace = await openShop(page, variant, 0);
      expect(trace.sampled).toBe(false);
      await expect(page.getByTestId('trace-decision')).toHaveAttribute('data-sampled', 'false');
      await shop(page);
      await flushPage(page);
      await serverCaughtUp();

      await expectTraceHeaders(requests, trace);
      const stored = await viewerTrace(trace.traceId);
      expect(stored, "the server and the page both recorded metrics in the page's trace").toBeDefined();
      expect(stored!.spans).toEqual([]);
      expect(stored!.decision).toBe('not_sampled');
      expect(stored!.conflict).toBe(false);
      const serverMetrics = stored!.metrics.filter((link) => link.origin === 'server');
      expect(serverMetrics.map((link) => link.name)).toEqual(expect.arrayContaining(['http.server.request.duration', 'span.duration']));
      expect(serverMetrics.every((link) => link.sampledValues.every((flag) => flag === false))).toBe(true);
      expect(stored!.metrics.some((link) => link.origin === 'browser')).toBe(true);
      // And nowhere else: no sampled server span of this page's API routes exists in any trace.
      const state = await viewerState();
      const stray = state.traces.flatMap((other) => serverSpans(other, 'http.server').filter((span) => span.name === `GET /${variant.name}/:view`));
      expect(stray).toEqual([]);
    });

    test("rate=0.5 over 30 page loads: the server follows each page's own decision", async ({ page }) => {
      test.setTimeout(120_000);
      const requests = recordApiRequests(page);
      const loads: Array<PageTrace & { requests: Request[] }> = [];
      for (let load = 0; load < 30; load++) {
        const first = requests.length;
        const trace = await openShop(page, variant, 0.5);
        loads.push({ ...trace, requests: requests.slice(first) });
      }
      await flushPage(page);
      await serverCaughtUp();

      const sampled = loads.filter((load) => load.sampled);
      const unsampled = loads.filter((load) => !load.sampled);
      // 30 fair coin flips: fewer than 3 on either side happens with probability ~1e-6.
      expect(sampled.length).toBeGreaterThanOrEqual(3);
      expect(unsampled.length).toBeGreaterThanOrEqual(3);
      expect(new Set(loads.map((load) => load.traceId)).size).toBe(30);
      for (const load of loads) await expectTraceHeaders(load.requests, load);

      // Pages that navigated away sent their last data on page hide; wait until every one is in.
      const incomplete = async () => {
        const state = await viewerState();
        return loads
          .filter((load) => {
            const stored = state.traces.find((trace) => trace.traceId === load.traceId);
            return stored === undefined || stored.metricCounts.browser === 0 || (load.sampled && (stored.spanCounts.browser === 0 || stored.spanCounts.server === 0));
          })
          .map((load) => `${load.traceId} (${load.sampled ? 'sampled' : 'not sampled'}) is not complete in the viewer`);
      };
      await expect.poll(incomplete, { timeout: 20_000 }).toEqual([]);

      const state = await viewerState();
      const decisions = new Map(loads.map((load) => [load.traceId, load.sampled]));
      for (const load of loads) {
        const stored = state.traces.find((trace) => trace.traceId === load.traceId)!;
        const label = `${load.traceId} (page: ${load.sampled ? 'sampled' : 'not sampled'})`;
        expect(stored.conflict, label).toBe(false);
        const products = serverSpans(stored, 'http.server').filter((span) => span.name === 'GET /api/products');
        // One server span per products request the page made (it retries once after a simulated failure).
        expect(products.length, label).toBe(load.sampled ? productRequests(load).length : 0);
        if (load.sampled)
          expect(
            serverSpans(stored).every((span) => span.sampled === true),
            label,
          ).toBe(true);
        else expect(stored.spans, label).toEqual([]);
      }
      // Every server span of the shop's API in the viewer belongs to a sampled page load.
      const apiSpans = state.traces.flatMap((trace) =>
        serverSpans(trace, 'http.server')
          .filter((span) => span.name === 'GET /api/products')
          .map(() => trace.traceId),
      );
      expect(apiSpans.sort()).toEqual(sampled.flatMap((load) => productRequests(load).map(() => load.traceId)).sort());
      // Every server metric exemplar in one of these traces carries that trace's decision. A series
      // keeps three exemplars an interval and a sampled trace's point displaces an unsampled one, so
      // how many unsampled exemplars survive depends on how the loads fall into the server's 2 s
      // intervals: there may be none. Sampled ones always survive (at least 3 loads are sampled).
      // The rate=0 test above checks the unsampled flag where no sampled trace competes.
      const exemplarFlags = state.series
        .filter((series) => series.origin === 'server')
        .flatMap((series) => series.points.flatMap((point) => point.exemplars))
        .filter((exemplar) => decisions.has(exemplar.traceId));
      for (const exemplar of exemplarFlags) expect(exemplar.sampled, `exemplar of ${exemplar.traceId}`).toBe(decisions.get(exemplar.traceId));
      expect(exemplarFlags.some((exemplar) => exemplar.sampled === true)).toBe(true);
    });

    test("the viewer's page shows the page's and the server's spans in one trace", async ({ page, context }) => {
      const trace = await openShop(page, variant, 1);
      await waitForProducts(page);
      await flushPage(page);
      await serverCaughtUp();

      const dashboard = await context.newPage();
      await dashboard.goto(`${VIEWER_ORIGIN}/`);
      const row = dashboard.locator(`[data-testid="trace-row"][data-trace-id="${trace.traceId}"]`);
      await expect(row.getByTestId('trace-decision')).toHaveText(/^sampled/);
      const waterfall = dashboard.locator(`[data-testid="trace-waterfall"][data-trace-id="${trace.traceId}"]`);
      // The page opens the newest trace with both sides by itself; open ours if it did not.
      if (!(await waterfall.isVisible())) await row.click();
      await expect(waterfall.locator('[data-origin="browser"]').first()).toBeVisible();
      await expect(waterfall.locator('[data-origin="server"]').first()).toBeVisible();
      await expect(waterfall.locator('[data-origin="server"]', { hasText: 'GET /api/products' }).first()).toBeVisible();
      await expect(waterfall.locator('[data-origin="browser"]', { hasText: 'pageload' }).first()).toBeVisible();
    });
  });
}
