import { expect, test, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIST_DIR, REPO_ROOT, requireBuild } from '../support/paths';
import { startStaticServer, type StaticServer } from '../support/static-server';
import { startChild, type Child } from './child-process';

/**
 * `npx isometer dev` as a user runs it (the built bin), fed by real SDKs in real processes: a
 * page on isometer's script tag, a page on @sentry/browser, an API on @sentry/node and a worker on
 * the OpenTelemetry Node SDK; then a walk through its page in Chromium.
 */
const HERE = fileURLToPath(new URL('./', import.meta.url));
const BIN = join(DIST_DIR, 'dev', 'cli.js');
/** Screenshots for a person to look at; never committed. */
const SHOTS = process.env.ISOMETER_SCREENSHOTS_DIR ?? join(tmpdir(), 'isometer-dev-viewer');

let viewer: Child;
let viewerUrl: string;
let pages: StaticServer;
const children: Child[] = [];

interface ViewerState {
  received: { rejected: Record<string, number> };
  metricNames: string[];
  traces: Array<{
    traceId: string;
    services: string[];
    sdks: string[];
    decision: string;
    spans: Array<{ spanId: string; parentSpanId: string | null; name: string; service: string; sdk: string; origin: string; depth: number; sampled: boolean | null }>;
  }>;
  series: Array<{ name: string; service: string; sdk: string; origin: string }>;
}

async function viewerState(query = ''): Promise<ViewerState> {
  return (await (await fetch(`${viewerUrl}/api/state${query}`)).json()) as ViewerState;
}

test.beforeAll(async () => {
  requireBuild(BIN);
  const started = await startChild([BIN, 'dev', '--port', '0'], /SENTRY_DSN=(\S+)/);
  viewer = started.child;
  viewerUrl = viewer.output().match(/metrics and traces on (http:\/\/\S+)/)![1];
  const bundleDir = mkdtempSync(join(tmpdir(), 'isometer-sentry-page-'));
  await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [join(HERE, 'sentry-browser-entry.js')],
    outdir: bundleDir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    logLevel: 'warning',
  });
  pages = await startStaticServer({ '/': HERE, '/dist/': DIST_DIR, '/bundle/': bundleDir });
});

test.afterAll(async () => {
  for (const child of children.splice(0)) await child.stop();
  await pages?.close();
  // Stopped by a signal, it closes its sockets and exits 0.
  if (viewer) expect(await viewer.stop()).toBe(0);
});

test('the bin prints its URL and the two lines that point apps at it', () => {
  const output = viewer.output();
  const port = new URL(viewerUrl).port;
  expect(output).toContain(`OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${port}`);
  expect(output).toContain(`SENTRY_DSN=http://dev@127.0.0.1:${port}/0`);
});

test('Ctrl+C (SIGINT) stops it with exit code 0; a port in use is one clear line and exit code 1', async () => {
  const port = new URL(viewerUrl).port;
  const taken = await startChild([BIN, 'dev', '--port', port], /cannot listen[^\n]*\n/).catch((error: Error) => error);
  expect(taken).not.toBeInstanceOf(Error);
  const { child: busy } = taken as Awaited<ReturnType<typeof startChild>>;
  expect(await busy.exited).toBe(1);
  expect(busy.output()).toMatch(new RegExp(`isometer dev: cannot listen on 127\\.0\\.0\\.1:${port}`));

  const { child } = await startChild([BIN, 'dev', '--port', '0', '--statsd', '0'], /STATSD_PORT=\d+/);
  child.process.kill('SIGINT');
  // Waited for, not stopped: stop() would add a SIGTERM while the SIGINT is still being handled.
  expect(await child.exited).toBe(0);
  expect(child.output()).toContain('SIGINT, stopping');
});

test('a page on @sentry/browser shows up with only its DSN changed: spans and trace_metric items, through CORS', async ({ page }) => {
  const dsn = viewer.output().match(/SENTRY_DSN=(\S+)/)![1];
  await page.goto(`${pages.origin}/sentry-page.html#${encodeURIComponent(JSON.stringify({ dsn }))}`);
  expect(await page.evaluate(() => (window as unknown as { buy(): Promise<boolean> }).buy())).toBe(true);

  await expect.poll(async () => (await viewerState()).metricNames, { timeout: 15_000 }).toEqual(expect.arrayContaining(['buy.click', 'buy.render']));
  await expect.poll(async () => (await viewerState()).traces.flatMap((trace) => trace.spans).find((span) => span.name === 'buy')?.sdk, { timeout: 15_000 }).toBe('sentry.javascript.browser');
  const state = await viewerState();
  const buy = state.traces.find((trace) => trace.spans.some((span) => span.name === 'buy'))!;
  // Both in the page load's trace, as Sentry sent them.
  for (const name of ['buy', 'validate cart'])
    expect(buy.spans.find((span) => span.name === name)).toMatchObject({ origin: 'browser', sdk: 'sentry.javascript.browser', service: 'sentry.javascript.browser', sampled: true });
  expect(state.series.find((series) => series.name === 'buy.click')).toMatchObject({ origin: 'browser', sdk: 'sentry.javascript.browser' });
  expect(state.received.rejected).toEqual({});
});

test('an isometer page, a @sentry/node API and an OpenTelemetry worker make one stitched trace, and the page shows it', async ({ page }) => {
  const worker = (await startChild([join(HERE, 'worker-server.mjs')], /listening (\d+)/, { VIEWER_URL: viewerUrl })).child;
  children.push(worker);
  const workerUrl = `http://127.0.0.1:${worker.output().match(/listening (\d+)/)![1]}`;
  const dsn = viewer.output().match(/SENTRY_DSN=http:\/\/dev@(\S+)/)![1];
  const api = (await startChild([join(HERE, 'api-server.cjs')], /listening (\d+)/, { SENTRY_DSN: `http://checkout_api@${dsn}`, WORKER_URL: workerUrl })).child;
  children.push(api);
  const apiUrl = `http://127.0.0.1:${api.output().match(/listening (\d+)/)![1]}`;

  await page.goto(`${pages.origin}/stitched-page.html#${encodeURIComponent(JSON.stringify({ api: apiUrl, viewer: viewerUrl }))}`);
  const request = page.waitForRequest((candidate) => candidate.url() === `${apiUrl}/checkout` && candidate.method() === 'POST');
  expect(await page.evaluate(() => (window as unknown as { checkout(): Promise<{ ok: boolean; worker: number }> }).checkout())).toEqual({ ok: true, worker: 200 });
  const traceId = (await (await request).allHeaders())['sentry-trace'].split('-')[0];
  await page.evaluate(() => (window as unknown as { Isometer: { flush(): Promise<boolean> } }).Isometer.flush());

  // Each side exports on its own schedule, the worker a request per span; wait until all three
  // services and both ends of the chain below are in.
  const services = async () => {
    const stored = (await viewerState()).traces.find((trace) => trace.traceId === traceId);
    const names = new Set(stored?.spans.map((span) => span.name));
    return { services: stored?.services.sort() ?? [], job: names.has('POST /jobs'), click: names.has('checkout click') };
  };
  await expect.poll(services, { timeout: 20_000 }).toEqual({ services: ['checkout_api', 'mail-worker', 'shop-page'], job: true, click: true });
  const trace = (await viewerState()).traces.find((candidate) => candidate.traceId === traceId)!;
  expect(trace.sdks.sort()).toEqual(['isometer', 'opentelemetry', 'sentry.javascript.node']);
  expect(trace.decision).toBe('sampled');
  // One tree: the worker's span hangs under the API's outgoing call, which hangs under the page's fetch.
  const byId = new Map(trace.spans.map((span) => [span.spanId, span]));
  const job = trace.spans.find((span) => span.name === 'POST /jobs')!;
  const chain: string[] = [];
  for (let span = job; span; span = byId.get(span.parentSpanId ?? '')!) chain.push(`${span.service}: ${span.name}`);
  expect(chain.at(-1)).toBe('shop-page: checkout click');
  expect(new Set(chain.map((link) => link.split(':')[0]))).toEqual(new Set(['mail-worker', 'checkout_api', 'shop-page']));

  await walkThePage(page, traceId);
});

/** The viewer's page in Chromium: the trace's waterfall with each span's service, SDK and decision; both filters. */
async function walkThePage(page: Page, traceId: string): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(viewerUrl);
  await expect(page.getByTestId('live-status')).toContainText('live');
  await expect(page.getByTestId('counters')).toContainText('checkout.click');
  await expect(page.getByTestId('distributions')).toContainText('buy.render');
  await expect(page.getByTestId('limits')).toContainText('of 500 traces');
  const row = page.locator(`[data-testid="trace-row"][data-trace-id="${traceId}"]`);
  await expect(row).toBeVisible();
  const waterfall = page.locator(`[data-testid="trace-waterfall"][data-trace-id="${traceId}"]`);
  if (!(await waterfall.isVisible())) await row.click();
  for (const sender of ['shop-page · isometer', 'checkout_api · sentry.javascript.node', 'mail-worker · opentelemetry']) {
    await expect(waterfall.getByTestId('span-sender').filter({ hasText: sender }).first()).toBeVisible();
  }
  await expect(waterfall.getByTestId('span-decision').first()).toContainText('sampled');
  await page.screenshot({ path: join(SHOTS, 'viewer-overview.png'), fullPage: true });
  await waterfall.screenshot({ path: join(SHOTS, 'viewer-stitched-trace.png') });

  await page.getByTestId('service-filter').selectOption('mail-worker');
  await expect(page.getByTestId('counters')).not.toContainText('checkout.click');
  await expect(page.locator('[data-testid="trace-row"]')).toHaveCount(1);
  await page.getByTestId('service-filter').selectOption('');
  await page.getByTestId('attribute-filter').fill('job.kind=receipt');
  await expect(page.locator('[data-testid="trace-row"]')).toHaveCount(1);
  await expect(page.getByTestId('trace-count')).toContainText('matching the filter');
  await page.screenshot({ path: join(SHOTS, 'viewer-filtered.png'), fullPage: true });

  // Bad input is counted on the page.
  await fetch(`${viewerUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
  await expect(page.getByTestId('rejected')).toContainText('1 invalid json');
}
