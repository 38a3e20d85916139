import { expect, test } from '@playwright/test';
import { startBrowserHarness, type BrowserHarness } from './support/browser-harness';

/** The page-load trace in real Chromium: continued from the server's `<meta>` tags, else a new root. */

const ENTRY = `
import { init, browserTracingIntegration, getPageLoadSpan, getTraceHeaders, memoryExporter } from './src/browser/index';
init({ tracesSampleRate: 1, exporters: [memoryExporter()], integrations: [browserTracingIntegration()] });
(window as any).pageLoad = () => { const span = getPageLoadSpan(); return span && { traceId: span.traceId, parentSpanId: span.parentSpanId, sampled: span.sampled, op: span.op }; };
(window as any).headers = () => getTraceHeaders();
`;

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const PARENT_ID = 'b7ad6b7169203331';

let harness: BrowserHarness | undefined;

test.afterEach(async () => {
  await harness?.close();
});

test('continues the trace of <meta name="sentry-trace"> and <meta name="baggage">, with the server decision', async ({ page }) => {
  harness = await startBrowserHarness(
    ENTRY,
    `<meta name="sentry-trace" content="${TRACE_ID}-${PARENT_ID}-0"><meta name="baggage" content="sentry-trace_id=${TRACE_ID},sentry-sample_rand=0.9,sentry-sample_rate=0.1,sentry-sampled=false">`,
  );
  await page.goto(harness.origin);
  const pageLoad = await page.evaluate(() => (window as any).pageLoad());
  expect(pageLoad).toEqual({ traceId: TRACE_ID, parentSpanId: PARENT_ID, sampled: false, op: 'pageload' });
  const headers = await page.evaluate(() => (window as any).headers());
  expect(headers['sentry-trace']).toMatch(new RegExp(`^${TRACE_ID}-[0-9a-f]{16}-0$`));
  expect(headers.baggage).toContain('sentry-sample_rand=0.9');
});

test('continues the trace of <meta name="traceparent">', async ({ page }) => {
  harness = await startBrowserHarness(ENTRY, `<meta name="traceparent" content="00-${TRACE_ID}-${PARENT_ID}-01">`);
  await page.goto(harness.origin);
  expect(await page.evaluate(() => (window as any).pageLoad())).toEqual({ traceId: TRACE_ID, parentSpanId: PARENT_ID, sampled: true, op: 'pageload' });
});

test('<meta name="tracestate"> is read once the engine arrives: upstream members and OpenTelemetry ot=rv pass on', async ({ page }) => {
  const entry = `
import { init, browserTracingIntegration, getClient, getTraceHeaders, memoryExporter } from './src/browser/index';
init({ tracesSampleRate: 1, propagateTraceparent: true, exporters: [memoryExporter()], integrations: [browserTracingIntegration()] });
(window as any).engineArrived = () => getClient() !== undefined;
(window as any).headers = () => getTraceHeaders();
`;
  // rv b3333333333333 stands for sample_rand 0.3; th 8 for rate 0.5: a consistent "sampled".
  harness = await startBrowserHarness(entry, `<meta name="traceparent" content="00-${TRACE_ID}-${PARENT_ID}-01"><meta name="tracestate" content="ot=th:8;rv:b3333333333333,rojo=00f067aa0ba902b7">`);
  await page.goto(harness.origin);
  await page.waitForFunction(() => (window as any).engineArrived());
  const headers = await page.evaluate(() => (window as any).headers());
  expect(headers.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
  expect(headers.tracestate).toBe('ot=th:8;rv:b3333333333333,rojo=00f067aa0ba902b7');
  expect(headers.baggage).toMatch(/sentry-sample_rand=0\.(3|29999)/);
  expect(headers.baggage).toContain('sentry-sample_rate=0.5');
});

test('a malformed meta tag starts a new trace instead of failing', async ({ page }) => {
  harness = await startBrowserHarness(ENTRY, '<meta name="sentry-trace" content="not-a-trace"><meta name="traceparent" content="00-00000000000000000000000000000000-0000000000000000-01">');
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(harness.origin);
  const pageLoad = await page.evaluate(() => (window as any).pageLoad());
  expect(pageLoad.traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(pageLoad.traceId).not.toBe('00000000000000000000000000000000');
  expect(pageLoad.parentSpanId).toBeUndefined();
  expect(pageLoad.sampled).toBe(true);
  expect(errors).toEqual([]);
});
