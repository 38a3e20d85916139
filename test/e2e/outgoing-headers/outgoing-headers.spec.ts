import { expect, test, type Page } from '@playwright/test';
import { createReadStream } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { watchPage } from '../support/page-problems';
import { SCRIPT_TAG_BUILD, requireBuild } from '../support/paths';

// The browser's wiring of the one outgoing rule, in real Chromium: fetch and XMLHttpRequest
// carry the trace headers, merge into the app's baggage without dropping or rewriting any of its
// members, leave alone what the app propagates itself, and say "no decision" in deferred mode.

const PAGE = fileURLToPath(new URL('./page.html', import.meta.url));
const TRACE_HEADERS = ['sentry-trace', 'baggage', 'traceparent', 'tracestate'];

type Received = Record<string, string | undefined>;

/** Serves the page and the build, and echoes the trace headers of every other request. */
async function startServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    if (request.url?.startsWith('/page.html')) return void createReadStream(PAGE).pipe(response.writeHead(200, { 'content-type': 'text/html' }));
    if (request.url === '/dist/isometer.min.js') return void createReadStream(SCRIPT_TAG_BUILD).pipe(response.writeHead(200, { 'content-type': 'text/javascript' }));
    response.setHeader('access-control-allow-origin', '*');
    response.setHeader('access-control-allow-headers', TRACE_HEADERS.join(', '));
    if (request.method === 'OPTIONS') return void response.writeHead(204).end();
    const received: Received = {};
    for (const name of TRACE_HEADERS) received[name] = request.headers[name] as string | undefined;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(received));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

let site: Awaited<ReturnType<typeof startServer>>;
let otherOrigin: Awaited<ReturnType<typeof startServer>>;

test.beforeAll(async () => {
  requireBuild(SCRIPT_TAG_BUILD);
  [site, otherOrigin] = await Promise.all([startServer(), startServer()]);
});

test.afterAll(async () => {
  await site?.close();
  await otherOrigin?.close();
});

function send(page: Page, how: 'fetch' | 'xhr', url: string, headers: Record<string, string> = {}): Promise<Received> {
  return page.evaluate(([how, url, headers]) => (window as unknown as { send(how: string, url: string, headers: object): Promise<Received> }).send(how, url, headers), [how, url, headers] as const);
}

const members = (header: string | undefined) => (header ?? '').split(',').map((member) => member.trim());

for (const how of ['fetch', 'xhr'] as const) {
  test.describe(how, () => {
    test("adds the trace headers to the page's own origin, and none to another origin", async ({ page }) => {
      const problems = watchPage(page);
      await page.goto(`${site.origin}/page.html`);
      const own = await send(page, how, `${site.origin}/echo`);
      expect(own['sentry-trace']).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}-1$/);
      expect(own.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-03$/);
      expect(own.tracestate).toMatch(/^ot=th:0;rv:[0-9a-f]{14}$/);
      expect(members(own.baggage)[0]).toMatch(/^sentry-trace_id=[0-9a-f]{32}$/);
      const other = await send(page, how, `${otherOrigin.origin}/echo`);
      expect(other).toEqual({});
      expect(problems.errors).toEqual([]);
    });

    test("keeps every member of the app's baggage first and in order, then appends isometer's", async ({ page }) => {
      await page.goto(`${site.origin}/page.html`);
      const received = await send(page, how, `${site.origin}/echo`, { baggage: 'userId=alice;ttl=60,cart=3' });
      const sent = members(received.baggage);
      expect(sent.slice(0, 2)).toEqual(['userId=alice;ttl=60', 'cart=3']);
      expect(sent.slice(2).every((member) => member.startsWith('sentry-'))).toBe(true);
      expect(sent.filter((member) => member.startsWith('sentry-trace_id='))).toHaveLength(1);
    });

    test("leaves the app's own sentry-* baggage as it is, with no second dynamic sampling context", async ({ page }) => {
      await page.goto(`${site.origin}/page.html`);
      const received = await send(page, how, `${site.origin}/echo`, { baggage: 'sentry-release=app%401.0,userId=alice' });
      expect(members(received.baggage)).toEqual(['sentry-release=app%401.0', 'userId=alice']);
      expect(received['sentry-trace']).toBeDefined();
    });

    test(`stays within 180 baggage members without dropping the app's`, async ({ page }) => {
      await page.goto(`${site.origin}/page.html`);
      const app = Array.from({ length: 178 }, (_, index) => `m${index}=1`);
      const sent = members((await send(page, how, `${site.origin}/echo`, { baggage: app.join(',') })).baggage);
      expect(sent).toHaveLength(180);
      expect(sent.slice(0, 178)).toEqual(app);
    });

    test('adds nothing when the app set sentry-trace or traceparent itself, and never overwrites its tracestate', async ({ page }) => {
      await page.goto(`${site.origin}/page.html`);
      const appTrace = '0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1';
      expect(await send(page, how, `${site.origin}/echo`, { 'sentry-trace': appTrace })).toEqual({ 'sentry-trace': appTrace });
      const appParent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      expect(await send(page, how, `${site.origin}/echo`, { traceparent: appParent })).toEqual({ traceparent: appParent });
      const withState = await send(page, how, `${site.origin}/echo`, { tracestate: 'app=1' });
      expect(withState.tracestate).toBe('app=1');
      expect(withState['sentry-trace']).toBeDefined();
    });

    test("deferred: a trace the page did not keep goes out with no decision, and 'decided' says not sampled", async ({ page }) => {
      await page.goto(`${site.origin}/page.html?rate=0&mode=deferred`);
      const deferred = await send(page, how, `${site.origin}/echo`);
      expect(deferred['sentry-trace']).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}$/);
      expect(deferred.traceparent).toMatch(/-02$/);
      expect(deferred.baggage).toMatch(/(^|,)sentry-sample_rand=0\.\d+/);
      expect(deferred.baggage).not.toMatch(/sentry-sampled|sentry-sample_rate/);
      expect(deferred.tracestate).toMatch(/^ot=rv:[0-9a-f]{14}$/);

      await page.goto(`${site.origin}/page.html?rate=0&mode=decided`);
      const decided = await send(page, how, `${site.origin}/echo`);
      expect(decided['sentry-trace']).toMatch(/-0$/);
      expect(decided.baggage).toMatch(/(^|,)sentry-sampled=false(,|$)/);
    });
  });
}
