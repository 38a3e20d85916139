import { expect, test } from '@playwright/test';
import { startBrowserHarness, type BrowserHarness } from './support/browser-harness';

/**
 * The page's fetch and XMLHttpRequest in real Chromium: each request feeds
 * `http.client.request.duration` (seconds, OpenTelemetry's HTTP attributes) and its
 * `http.client` span carries the same attributes; failures get `error.type`.
 */

const ENTRY = `
import { init, browserTracingIntegration, flush, memoryExporter } from './src/browser/index';
const memory = memoryExporter();
init({ tracesSampleRate: 1, exporters: [memory], integrations: [browserTracingIntegration()] });
const xhr = (method: string, url: string) =>
  new Promise<number>((resolve) => {
    const request = new XMLHttpRequest();
    request.open(method, url);
    // Resolved a task later: the instrumentation's own loadend listener, added in send(), runs after this one.
    request.addEventListener('loadend', () => setTimeout(() => resolve(request.status), 0));
    request.send();
  });
(window as any).run = async (refusedOrigin: string) => {
  await fetch('/items/1');
  await xhr('PUT', '/items/2');
  await fetch(refusedOrigin + '/down').catch(() => undefined);
  await xhr('GET', refusedOrigin + '/down');
  await flush();
  return {
    points: memory.find('http.client.request.duration').map((point) => ({ unit: point.unit, count: point.count, max: point.max, attributes: point.attributes })),
    spans: memory.spans.filter((span) => span.op === 'http.client').map((span) => ({ name: span.name, status: span.status, attributes: span.attributes })),
    spanDurations: memory.find('span.duration', { attributes: { 'span.op': 'http.client' } }).length,
  };
};
`;

let harness: BrowserHarness | undefined;

test.afterEach(async () => {
  await harness?.close();
});

test('fetch and XHR feed http.client.request.duration in seconds, with error.type on failures, and their spans carry the same attributes', async ({ page }) => {
  harness = await startBrowserHarness(ENTRY);
  await page.goto(harness.origin);
  // Nothing listens on port 9 of the loopback: the connection is refused.
  const refusedOrigin = 'http://127.0.0.1:9';
  const result = await page.evaluate((origin) => (window as any).run(origin), refusedOrigin);
  const port = Number(new URL(harness.origin).port);
  const own = { 'server.address': '127.0.0.1', 'server.port': port, 'url.scheme': 'http', 'http.response.status_code': 204 };
  const refused = { 'server.address': '127.0.0.1', 'server.port': 9, 'url.scheme': 'http' };

  expect(result.points).toHaveLength(4);
  for (const point of result.points) {
    expect(point.unit).toBe('second');
    expect(point.count).toBe(1);
    expect(point.max).toBeGreaterThan(0);
    expect(point.max).toBeLessThan(60);
  }
  expect(result.points.map((point: { attributes: unknown }) => point.attributes)).toEqual(
    expect.arrayContaining([
      { ...own, 'http.request.method': 'GET' },
      { ...own, 'http.request.method': 'PUT' },
      // fetch rejects with a TypeError; an XHR that got no answer has status 0 and no error object.
      { ...refused, 'http.request.method': 'GET', 'error.type': 'TypeError' },
      { ...refused, 'http.request.method': 'GET', 'error.type': '_OTHER' },
    ]),
  );

  const spans = new Map(result.spans.map((span: { name: string; status: string; attributes: Record<string, unknown> }) => [`${span.attributes['http.request.method']} ${span.name}`, span]));
  expect(spans.get('GET GET /items/1')).toMatchObject({ status: 'unset', attributes: { ...own, 'http.request.method': 'GET', 'url.path': '/items/1', 'url.full': `${harness.origin}/items/1` } });
  expect(spans.get('PUT PUT /items/2')).toMatchObject({ status: 'unset', attributes: { ...own, 'http.request.method': 'PUT' } });
  expect(
    result.spans
      .filter((span: { status: string }) => span.status === 'error')
      .map((span: { attributes: Record<string, unknown> }) => span.attributes['error.type'])
      .sort(),
  ).toEqual(['TypeError', '_OTHER']);
  // The requests' own metric is their duration: no span.duration point doubles it.
  expect(result.spanDurations).toBe(0);
});
