import { expect, test } from '@playwright/test';
import { build } from 'esbuild';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parseEnvelope, type ReceivedEnvelope } from '../../support/envelope-server';
import { MAX_PENDING_SENTRY_POINTS, MAX_PENDING_SENTRY_SPANS } from '../../../src/browser/lazy-sentry';

/**
 * In Chromium, with the real @sentry/browser: what a page records on the line right after `init`
 * reaches Sentry although isometer's Sentry glue is a lazily loaded chunk (held here until the
 * test lets it go). Spans isometer made before then are replayed with their ids; metric batches
 * wait and are sent; past the bounds, every drop is counted exactly.
 */

const ENTRY = fileURLToPath(new URL('./support/lazy-sentry-page.ts', import.meta.url));

let server: Server;
let origin: string;
let files: Map<string, string>;
let envelopes: ReceivedEnvelope[] = [];
let heldGlue: ServerResponse[] = [];
let releaseGlue = false;
const glueChunk = (): string => [...files.keys()].find((path) => /^\/sentry-[A-Z0-9]+\.js$/.test(path))!;

test.beforeAll(async () => {
  const bundle = await build({
    entryPoints: { page: ENTRY },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    outdir: '/bundle',
    chunkNames: '[name]-[hash]',
    write: false,
    logLevel: 'silent',
  });
  files = new Map(bundle.outputFiles.map((file) => [file.path.replace(/^\/bundle/, ''), file.text]));
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      if (request.method === 'POST' && path.startsWith('/api/1/envelope/')) {
        let body = Buffer.concat(chunks);
        if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        envelopes.push(parseEnvelope(body.toString('utf8'), body.length));
        return void response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      }
      if (path === '/')
        return void response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><head><script type="module" src="/page.js"></script></head><body>page</body></html>');
      const file = files.get(path);
      if (file === undefined) return void response.writeHead(404).end();
      if (path === glueChunk() && !releaseGlue) return void heldGlue.push(response);
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(file);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test.beforeEach(() => {
  envelopes = [];
  heldGlue = [];
  releaseGlue = false;
});

function release(status = 200): void {
  releaseGlue = true;
  for (const response of heldGlue.splice(0)) response.writeHead(status, { 'content-type': 'text/javascript' }).end(status === 200 ? files.get(glueChunk()) : '');
}

interface SentSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
}

/** Spans Sentry sent: streamed `span` items (Sentry 11 in a page), or transactions with their child spans. */
function sentSpans(all: ReceivedEnvelope[]): SentSpan[] {
  return all.flatMap((envelope) =>
    envelope.items.flatMap(([header, payload]) => {
      if (header.type === 'span') {
        const { items } = payload as { items: Array<{ name: string; trace_id: string; span_id: string; parent_span_id?: string }> };
        return items.map((span) => ({ name: span.name, traceId: span.trace_id, spanId: span.span_id, parentSpanId: span.parent_span_id }));
      }
      if (header.type !== 'transaction') return [];
      const event = payload as {
        transaction: string;
        contexts: { trace: { trace_id: string; span_id: string; parent_span_id?: string } };
        spans?: Array<{ description: string; trace_id: string; span_id: string; parent_span_id?: string }>;
      };
      const trace = event.contexts.trace;
      return [
        { name: event.transaction, traceId: trace.trace_id, spanId: trace.span_id, parentSpanId: trace.parent_span_id },
        ...(event.spans ?? []).map((span) => ({ name: span.description, traceId: span.trace_id, spanId: span.span_id, parentSpanId: span.parent_span_id })),
      ];
    }),
  );
}

function metricItems(all: ReceivedEnvelope[]): Array<{ name: string; value: number; attributes: Record<string, unknown> }> {
  return all.flatMap((envelope) =>
    envelope.items
      .filter(([header]) => header.type === 'trace_metric')
      .flatMap(([, payload]) => (payload as { items: Array<{ name: string; value: number; attributes: Record<string, unknown> }> }).items),
  );
}

/** Distinct series among the metric items (a distribution is several items of one series). */
function sentSeries(all: ReceivedEnvelope[]): number {
  const series = new Set<string>();
  for (const item of metricItems(all) as Array<{ name: string; attributes: Record<string, unknown> }>) {
    const own = Object.entries(item.attributes).filter(([key]) => !key.startsWith('sentry.'));
    series.add(JSON.stringify([item.name, own]));
  }
  return series.size;
}

async function until(predicate: () => boolean): Promise<void> {
  await expect
    .poll(predicate, { timeout: 20_000, message: JSON.stringify(envelopes.map((envelope) => envelope.items.map(([header, payload]) => [header.type, JSON.stringify(payload).slice(0, 300)]))) })
    .toBe(true);
}

for (const how of ['module', 'script-tag'] as const) {
  test(`${how}: the span and metric recorded right after init reach Sentry once the glue has loaded`, async ({ page }) => {
    await page.goto(origin);
    const result = await page.evaluate((run) => (window as any).scenario(run), { how, dsn: `http://key@${origin.slice('http://'.length)}/1`, spans: 0, series: 0 });
    expect(result.dropped).toEqual({});
    // The glue is still held: nothing could have reached Sentry's metrics yet.
    expect(metricItems(envelopes)).toEqual([]);
    release();
    expect(await page.evaluate(() => (window as any).flushed)).toBe(true);
    await until(() => sentSpans(envelopes).some((span) => span.name === 'first-child') && metricItems(envelopes).length > 0);
    const spans = sentSpans(envelopes);
    const first = spans.find((span) => span.name === 'first-line')!;
    const child = spans.find((span) => span.name === 'first-child')!;
    // The ids that were live on the page (headers, exemplars) are the trace's in Sentry.
    expect(first).toMatchObject(result.ids['first-line']);
    expect(child).toMatchObject({ ...result.ids['first-child'], parentSpanId: first.spanId });
    expect(metricItems(envelopes).filter((item) => item.name === 'first.metric')).toEqual([expect.objectContaining({ name: 'first.metric', value: 3 })]);
    expect(await page.evaluate(() => (window as any).getDroppedCounts())).toEqual({});
  });
}

test('past its bounds, what waits for the glue is dropped and counted exactly, and the rest arrives', async ({ page }) => {
  test.setTimeout(120_000);
  const extraSpans = MAX_PENDING_SENTRY_SPANS + 5;
  const series = MAX_PENDING_SENTRY_POINTS + 7;
  await page.goto(origin);
  const result = await page.evaluate((run) => (window as any).scenario(run), { how: 'script-tag', dsn: `http://key@${origin.slice('http://'.length)}/1`, spans: extraSpans, series });
  // Spans: first-line, first-child and the extras; points: first.metric and the series (one point each).
  const spansOver = 2 + extraSpans - MAX_PENDING_SENTRY_SPANS;
  // One point each: first.metric, every series, and every span's span.duration (one per span name).
  const pointsOver = 1 + series + 2 + extraSpans - MAX_PENDING_SENTRY_POINTS;
  expect(result.dropped).toEqual({});
  // A flush of 10,000 series is sliced: the batches reach the exporter a few tasks later, the glue still held.
  await expect.poll(() => page.evaluate(() => (window as any).getDroppedCounts()), { timeout: 20_000 }).toEqual({ queue_overflow: spansOver + pointsOver });
  expect(metricItems(envelopes)).toEqual([]);
  release();
  expect(await page.evaluate(() => (window as any).flushed)).toBe(false);
  await until(() => sentSeries(envelopes) === MAX_PENDING_SENTRY_POINTS && sentSpans(envelopes).length === MAX_PENDING_SENTRY_SPANS);
  expect(await page.evaluate(() => (window as any).getDroppedCounts())).toEqual({ queue_overflow: spansOver + pointsOver });
});

test('a glue chunk that fails to load: what waited for it is counted exactly, flush says false, nothing throws', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(origin);
  await page.evaluate((run) => (window as any).scenario(run), { how: 'script-tag', dsn: `http://key@${origin.slice('http://'.length)}/1`, spans: 0, series: 0 });
  // The glue is asked for once isometer's engine chunk has loaded: fail that request.
  await until(() => heldGlue.length > 0);
  release(503);
  expect(await page.evaluate(() => (window as any).flushed)).toBe(false);
  // first-line and first-child, and three points: first.metric and each span's span.duration.
  expect(await page.evaluate(() => (window as any).getDroppedCounts())).toEqual({ export_error: 5 });
  expect(metricItems(envelopes)).toEqual([]);
  expect(errors).toEqual([]);
});
