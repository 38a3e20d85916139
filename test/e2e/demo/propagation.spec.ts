import { devViewer, expect, test } from 'isometer/playwright';
import { randomBytes } from 'node:crypto';
import { viewerState, viewerTrace } from './viewer-state';
import { flushPage, openShop, recordApiRequests, serverSpanName, waitForProducts } from './demo-page';
import { DEMO_ORIGIN, DEMO_PORT, VIEWER_ORIGIN } from './demo-port';
import { DEMO_VARIANTS } from './demo-variants';
import { startHeaderRecorder, type HeaderRecorder } from './header-recorder';
import { serverCaughtUp } from './server-caught-up';

/**
 * Which requests carry the page's trace: only its own origin's (the browser default of
 * `tracePropagationTargets`), and what a third party put in `baggage` travels on untouched.
 */
const TRACE_HEADERS = ['sentry-trace', 'baggage', 'traceparent', 'tracestate'];
const viewer = devViewer(VIEWER_ORIGIN);
let recorder: HeaderRecorder;

test.beforeAll(async () => {
  recorder = await startHeaderRecorder();
});

test.afterAll(async () => {
  await recorder?.close();
});

test.beforeEach(async () => {
  await viewer.reset();
  recorder.received.length = 0;
});

for (const variant of DEMO_VARIANTS) {
  test.describe(`${variant.name} page`, () => {
    test("requests to other origins get no trace headers; the page's own origin gets them", async ({ page }) => {
      const trace = await openShop(page, variant, 1);
      const elsewhere = `http://localhost:${DEMO_PORT}/api/search?q=elsewhere`;
      const crossOrigin = page.waitForRequest(elsewhere);
      const sameOrigin = page.waitForRequest(`${DEMO_ORIGIN}/api/orders`);
      const outcomes = await page.evaluate(
        async ([recorderUrl, otherHostUrl]) => {
          const settle = (promise: Promise<Response>) =>
            promise.then(
              (response) => response.status,
              (error: unknown) => String(error),
            );
          return {
            recorder: await settle(fetch(recorderUrl)),
            // Same server, other host name: another origin. The demo sends no CORS headers, so the
            // page cannot read the answer, but the request goes out (a simple GET needs no preflight).
            otherHost: await settle(fetch(otherHostUrl)),
            own: await settle(fetch('/api/orders')),
          };
        },
        [`${recorder.origin}/cross-origin`, elsewhere] as const,
      );
      expect(outcomes.recorder).toBe(200);
      // The demo's database fails now and then on purpose (503); any answer means the call was made.
      expect(typeof outcomes.own).toBe('number');

      // What arrived at the other origin: no trace header, and no preflight (which added headers would need).
      expect(recorder.received.map((request) => request.method)).toEqual(['GET']);
      for (const name of TRACE_HEADERS) expect(recorder.received[0].headers[name], name).toBeUndefined();
      // What the page sent to the other host name, and to its own origin.
      const otherHeaders = (await crossOrigin).headers();
      for (const name of TRACE_HEADERS) expect(otherHeaders[name], name).toBeUndefined();
      const ownHeaders = await (await sameOrigin).allHeaders();
      expect(ownHeaders['sentry-trace']).toMatch(new RegExp(`^${trace.traceId}-[0-9a-f]{16}-1$`));
      expect(ownHeaders.baggage).toContain(`sentry-trace_id=${trace.traceId}`);

      // On the server: the own-origin call continued the page's trace, the other one started its own.
      await flushPage(page);
      await serverCaughtUp();
      const stored = await viewerTrace(trace.traceId);
      const names = (stored?.spans ?? []).filter((span) => span.origin === 'server').map((span) => span.name);
      expect(names).toContain('GET /api/orders');
      expect(names).not.toContain('GET /api/search');
      const state = await viewerState();
      const searchTraces = state.traces.filter((other) => other.spans.some((span) => span.origin === 'server' && span.name === 'GET /api/search'));
      expect(searchTraces.map((other) => other.traceId)).not.toContain(trace.traceId);
      expect(searchTraces.length).toBe(1);
    });

    test("a third party's baggage entries survive server render → page → server, and the trace goes on to the upstream", async ({ page }) => {
      // A caller upstream of the demo (a CDN, another service) starts the trace, with its own entries.
      const traceId = randomBytes(16).toString('hex');
      const foreign = ['acme.tenant=blue', 'thirdparty.session=a1b2c3;ttl=60'];
      const incoming = {
        'sentry-trace': `${traceId}-${randomBytes(8).toString('hex')}-1`,
        baggage: [`sentry-trace_id=${traceId}`, 'sentry-sampled=true', 'sentry-sample_rand=0.25', 'sentry-sample_rate=1', ...foreign].join(','),
      };
      await page.route(
        (url) => url.pathname === variant.path,
        (route) => route.continue({ headers: { ...route.request().headers(), ...incoming } }),
      );
      const requests = recordApiRequests(page);
      const trace = await openShop(page, variant, 1);
      expect(trace).toEqual({ traceId, sampled: true });

      // The server rendered the entries into the page, and the page continued the trace with them.
      const meta = await page.locator('meta[name="baggage"]').getAttribute('content');
      for (const entry of foreign) expect(meta).toContain(entry);

      // The page's own calls, and one where the app sets a baggage entry of its own.
      await waitForProducts(page);
      await page.locator('[data-add="probe-thermal"]').click();
      await page.getByTestId('nav-cart').click();
      await page.getByTestId('checkout-submit').click();
      await expect(page.getByTestId('checkout-result')).toHaveText(/Order #|failed/);
      const appStatus = await page.evaluate(async () => (await fetch('/api/search?q=kit', { headers: { baggage: 'app.flag=on' } })).status);
      expect(appStatus).toBeGreaterThanOrEqual(200);

      for (const request of requests) {
        const baggage = (await request.allHeaders()).baggage ?? '';
        expect(baggage, serverSpanName(request)).toContain(`sentry-trace_id=${traceId}`);
        if (new URL(request.url()).pathname === '/api/search') expect(baggage).toContain('app.flag=on');
        else for (const entry of foreign) expect(baggage, serverSpanName(request)).toContain(entry);
      }

      // The server continued every call in the trace and carried it on to the payment upstream.
      await flushPage(page);
      await serverCaughtUp();
      const stored = await viewerTrace(traceId);
      const serverNames = (stored?.spans ?? []).filter((span) => span.origin === 'server' && span.op === 'http.server').map((span) => span.name);
      expect(serverNames).toEqual(expect.arrayContaining([`GET /${variant.name}/:view`, 'GET /api/products', 'POST /api/checkout', 'GET /api/search']));
      const checkout = requests.find((request) => new URL(request.url()).pathname === '/api/checkout');
      const checkoutStatus = (await checkout!.response())?.status();
      // The order insert fails now and then on purpose (503): then no payment call is made.
      if (checkoutStatus !== 503) expect(serverNames).toContain('POST /upstream/payments');
    });
  });
}
