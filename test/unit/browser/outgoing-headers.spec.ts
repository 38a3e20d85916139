import { expect, test, type Page } from '@playwright/test';
import { startBrowserHarness, type BrowserHarness } from './support/browser-harness';

// The browser's wiring of the one outgoing rule (src/browser/outgoing-headers.ts, with
// fetch-instrumentation.ts and xhr-instrumentation.ts), in real Chromium: fetch and
// XMLHttpRequest carry the trace headers, merge into the app's baggage without dropping or
// rewriting any of its members, leave alone what the app propagates itself, and send no decision
// in 'deferred' mode.

const entry = (rate: number, mode: 'decided' | 'deferred') => `
import { init, browserTracingIntegration, memoryExporter } from './src/browser/index';
init({ tracesSampleRate: ${rate}, unsampledPropagation: '${mode}', propagateTraceparent: true, exporters: [memoryExporter()], integrations: [browserTracingIntegration()] });
(window as any).send = (how: string, url: string, headers: Record<string, string>) => {
  if (how === 'fetch') return fetch(url, { headers }).then(() => undefined);
  return new Promise<void>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', url);
    for (const name of Object.keys(headers)) xhr.setRequestHeader(name, headers[name]);
    xhr.onloadend = () => (xhr.status === 204 ? resolve() : reject(new Error('status ' + xhr.status)));
    xhr.send();
  });
};
`;

type Received = Record<string, string | undefined>;

let site: BrowserHarness | undefined;
let other: BrowserHarness | undefined;

test.afterEach(async () => {
  await site?.close();
  await other?.close();
});

async function open(page: Page, rate = 1, mode: 'decided' | 'deferred' = 'decided'): Promise<BrowserHarness> {
  site = await startBrowserHarness(entry(rate, mode));
  await page.goto(site.origin);
  return site;
}

/** Sends one request from the page and returns the trace headers `harness` received with it. */
async function send(page: Page, harness: BrowserHarness, how: string, headers: Record<string, string> = {}): Promise<Received> {
  await page.evaluate(([how, url, headers]) => (window as any).send(how, url, headers), [how, `${harness.origin}/echo`, headers] as const);
  const request = harness.received[harness.received.length - 1];
  const picked: Received = {};
  for (const name of ['sentry-trace', 'baggage', 'traceparent', 'tracestate']) if (request.headers[name] !== undefined) picked[name] = String(request.headers[name]);
  return picked;
}

const members = (header: string | undefined) => (header ?? '').split(',').map((member) => member.trim());

for (const how of ['fetch', 'xhr']) {
  test.describe(how, () => {
    test("adds the trace headers to the page's own origin, and none to another origin", async ({ page }) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      const own = await send(page, await open(page), how);
      expect(own['sentry-trace']).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}-1$/);
      expect(own.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-03$/);
      expect(own.tracestate).toMatch(/^ot=th:0;rv:[0-9a-f]{14}$/);
      expect(members(own.baggage)[0]).toMatch(/^sentry-trace_id=[0-9a-f]{32}$/);
      other = await startBrowserHarness('');
      expect(await send(page, other, how)).toEqual({});
      expect(errors).toEqual([]);
    });

    test("keeps every member of the app's baggage first and in order, then appends isometer's", async ({ page }) => {
      const sent = members((await send(page, await open(page), how, { baggage: 'userId=alice;ttl=60,cart=3' })).baggage);
      expect(sent.slice(0, 2)).toEqual(['userId=alice;ttl=60', 'cart=3']);
      expect(sent.slice(2).every((member) => member.startsWith('sentry-'))).toBe(true);
      expect(sent.filter((member) => member.startsWith('sentry-trace_id='))).toHaveLength(1);
    });

    test("leaves the app's own sentry-* baggage as it is, with no second dynamic sampling context", async ({ page }) => {
      const received = await send(page, await open(page), how, { baggage: 'sentry-release=app%401.0,userId=alice' });
      expect(members(received.baggage)).toEqual(['sentry-release=app%401.0', 'userId=alice']);
      expect(received['sentry-trace']).toBeDefined();
    });

    test("stays within 180 baggage members without dropping the app's", async ({ page }) => {
      const app = Array.from({ length: 178 }, (_, index) => `m${index}=1`);
      const sent = members((await send(page, await open(page), how, { baggage: app.join(',') })).baggage);
      expect(sent).toHaveLength(180);
      expect(sent.slice(0, 178)).toEqual(app);
    });

    test('adds nothing when the app set sentry-trace or traceparent itself, and never overwrites its tracestate', async ({ page }) => {
      const harness = await open(page);
      const appTrace = '0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1';
      expect(await send(page, harness, how, { 'sentry-trace': appTrace })).toEqual({ 'sentry-trace': appTrace });
      const appParent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      expect(await send(page, harness, how, { traceparent: appParent })).toEqual({ traceparent: appParent });
      const withState = await send(page, harness, how, { tracestate: 'app=1' });
      expect(withState.tracestate).toBe('app=1');
      expect(withState['sentry-trace']).toBeDefined();
    });

    test("'deferred': a trace the page did not keep goes out with no decision; 'decided' says not sampled", async ({ page }) => {
      const deferred = await send(page, await open(page, 0, 'deferred'), how);
      expect(deferred['sentry-trace']).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}$/);
      expect(deferred.traceparent).toMatch(/-02$/);
      expect(deferred.baggage).toMatch(/(^|,)sentry-sample_rand=0\.\d+/);
      expect(deferred.baggage).not.toMatch(/sentry-sampled|sentry-sample_rate/);
      expect(deferred.tracestate).toMatch(/^ot=rv:[0-9a-f]{14}$/);
      await site?.close();

      const decided = await send(page, await open(page, 0, 'decided'), how);
      expect(decided['sentry-trace']).toMatch(/-0$/);
      expect(decided.baggage).toMatch(/(^|,)sentry-sampled=false(,|$)/);
    });
  });
}
