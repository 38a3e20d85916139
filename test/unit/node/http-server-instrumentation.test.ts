import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { instrumentHttpServer } from '../../../src/node/http-server-instrumentation';
import { close, flush, getActiveSpan, getTraceHeaders, init, memoryExporter, metrics, type IsometerOptions, type MemoryExporter } from '../../../src/node/index';
import { TLS_CERT, TLS_KEY } from '../../support/tls-fixture';

// Taken before init patches anything: the test's own requests must reach the server exactly as written.
const plainRequest = http.request;
const plainHttpsRequest = https.request;
const originalServerEmit = http.Server.prototype.emit;

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN_ID = '00f067aa0ba902b7';

/** What the handler saw: the active span once its async work was done. */
interface Seen {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  sampled?: boolean | null;
  afterBody?: string;
  sentryTrace?: string;
}

const servers: http.Server[] = [];
let memory: MemoryExporter;

function start(options: IsometerOptions = {}): void {
  memory = memoryExporter();
  init({ exporters: [memory], flushIntervalMs: 0, ...options });
}

afterEach(async () => {
  await close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/**
 * A server whose handler reads the body, waits a turn of the event loop, records a counter and
 * answers with what it saw. `finished` resolves once the response has closed (after isometer's
 * own listeners, which were added first), so the span has ended by then.
 */
async function startServer(secure = false, status = 200): Promise<{ url: string; finished: () => Promise<void> }> {
  let closed: Promise<void> = Promise.resolve();
  const handler = (request: http.IncomingMessage, response: http.ServerResponse): void => {
    closed = new Promise((resolve) => response.once('close', () => resolve()));
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', async () => {
      const afterBody = getActiveSpan()?.spanId;
      await new Promise((resolve) => setImmediate(resolve));
      const span = getActiveSpan();
      metrics.count('handler.calls', 1, { attributes: { body } });
      const seen: Seen = { traceId: span?.traceId, spanId: span?.spanId, parentSpanId: span?.parentSpanId, sampled: span?.sampled ?? null, afterBody, sentryTrace: getTraceHeaders()['sentry-trace'] };
      response.statusCode = status;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(seen));
    });
  };
  const server = secure ? https.createServer({ key: TLS_KEY, cert: TLS_CERT }, handler) : http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `${secure ? 'https' : 'http'}://127.0.0.1:${port}/orders/42?coupon=x`, finished: () => closed };
}

/** Sends one POST with exactly these headers (through the untraced `request`). */
function send(url: string, headers: Record<string, string> = {}): Promise<{ status: number; seen: Seen }> {
  const request = url.startsWith('https') ? plainHttpsRequest : plainRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', headers, ca: TLS_CERT }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, seen: JSON.parse(text) as Seen }));
    });
    outgoing.on('error', reject);
    outgoing.end('payload');
  });
}

function serverSpans() {
  return memory.spans.filter((span) => span.op === 'http.server');
}

describe('http server instrumentation', () => {
  it('leaves requests that ignoreIncomingRequests names untraced, and traces the rest', async () => {
    const asked: string[] = [];
    start({ tracesSampleRate: 1, ignoreIncomingRequests: (url, method) => (asked.push(`${method} ${url}`), url.startsWith('/orders')) });
    const server = await startServer();
    const { seen } = await send(server.url, { 'sentry-trace': `${TRACE_ID}-${PARENT_SPAN_ID}-1` });
    await server.finished();
    await flush();
    expect(asked).toEqual(['POST /orders/42?coupon=x']);
    expect(seen.spanId).toBeUndefined();
    expect(serverSpans()).toHaveLength(0);
  });

  it('hands tracesSampler the incoming request URL with its query, and samples by what it returns', async () => {
    const urls: Array<string | undefined> = [];
    start({ tracesSampler: (context) => (urls.push(context.url), context.url?.includes('coupon=x') ? 1 : 0) });
    const server = await startServer();
    const { seen } = await send(server.url);
    await server.finished();
    await flush();
    expect(urls).toEqual(['/orders/42?coupon=x']);
    expect(seen.sampled).toBe(true);
    expect(serverSpans()).toHaveLength(1);
  });

  it('traces every request when ignoreIncomingRequests throws, with one warning', async () => {
    start({
      tracesSampleRate: 1,
      ignoreIncomingRequests: () => {
        throw new Error('bad filter');
      },
    });
    const server = await startServer();
    const { seen } = await send(server.url);
    await server.finished();
    await flush();
    expect(seen.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(serverSpans()).toHaveLength(1);
  });

  it('continues a sampled sentry-trace: same trace id, the caller as parent, sampled, active through body reads and awaits', async () => {
    start({ tracesSampleRate: 0 });
    const server = await startServer();
    const { seen } = await send(server.url, { 'sentry-trace': `${TRACE_ID}-${PARENT_SPAN_ID}-1` });
    await server.finished();
    await flush();

    expect(seen).toMatchObject({ traceId: TRACE_ID, parentSpanId: PARENT_SPAN_ID, sampled: true });
    expect(seen.afterBody).toBe(seen.spanId);
    expect(seen.sentryTrace).toBe(`${TRACE_ID}-${seen.spanId}-1`);
    const [span] = serverSpans();
    expect(span).toMatchObject({ traceId: TRACE_ID, spanId: seen.spanId, parentSpanId: PARENT_SPAN_ID, name: 'POST /orders/42', sampled: true, status: 'unset' });
    expect(span.attributes).toMatchObject({ 'http.request.method': 'POST', 'url.path': '/orders/42', 'http.response.status_code': 200, 'server.address': '127.0.0.1' });
  });

  it('continues an unsampled sentry-trace without recording the span, even at tracesSampleRate 1', async () => {
    start({ tracesSampleRate: 1 });
    const server = await startServer();
    const { seen } = await send(server.url, { 'sentry-trace': `${TRACE_ID}-${PARENT_SPAN_ID}-0` });
    await server.finished();
    await flush();

    expect(seen).toMatchObject({ traceId: TRACE_ID, parentSpanId: PARENT_SPAN_ID, sampled: false });
    expect(seen.sentryTrace).toBe(`${TRACE_ID}-${seen.spanId}-0`);
    expect(serverSpans()).toEqual([]);
  });

  it("decides a deferred sentry-trace here, with the caller's sample_rand", async () => {
    start({ tracesSampleRate: 0.5 });
    const server = await startServer();
    const low = await send(server.url, { 'sentry-trace': `${TRACE_ID}-${PARENT_SPAN_ID}`, baggage: `sentry-trace_id=${TRACE_ID},sentry-sample_rand=0.25` });
    const high = await send(server.url, { 'sentry-trace': `${TRACE_ID}-${PARENT_SPAN_ID}`, baggage: `sentry-trace_id=${TRACE_ID},sentry-sample_rand=0.75` });

    expect(low.seen).toMatchObject({ traceId: TRACE_ID, parentSpanId: PARENT_SPAN_ID, sampled: true });
    expect(high.seen).toMatchObject({ traceId: TRACE_ID, parentSpanId: PARENT_SPAN_ID, sampled: false });
  });

  it('keeps a deferred trace deferred when no sampling option is set', async () => {
    start();
    const server = await startServer();
    const { seen } = await send(server.url, { 'sentry-trace': `${TRACE_ID}-${PARENT_SPAN_ID}` });

    expect(seen).toMatchObject({ traceId: TRACE_ID, parentSpanId: PARENT_SPAN_ID, sampled: null });
    expect(seen.sentryTrace).toBe(`${TRACE_ID}-${seen.spanId}`);
  });

  it('starts a new trace for a malformed sentry-trace', async () => {
    start({ tracesSampleRate: 1 });
    const server = await startServer();
    const { seen } = await send(server.url, { 'sentry-trace': `${TRACE_ID.toUpperCase()}-${PARENT_SPAN_ID}-1` });

    expect(seen.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(seen.traceId).not.toBe(TRACE_ID);
    expect(seen.parentSpanId).toBeUndefined();
    expect(seen.sampled).toBe(true);
  });

  it('continues a W3C traceparent when no sentry-trace is sent', async () => {
    start({ tracesSampleRate: 0 });
    const server = await startServer();
    const { seen } = await send(server.url, { traceparent: `00-${TRACE_ID}-${PARENT_SPAN_ID}-01` });

    expect(seen).toMatchObject({ traceId: TRACE_ID, parentSpanId: PARENT_SPAN_ID, sampled: true });
  });

  it('records metrics made inside the handler with the incoming trace id and the server span id', async () => {
    start({ tracesSampleRate: 1 });
    const server = await startServer();
    const { seen } = await send(server.url, { 'sentry-trace': `${TRACE_ID}-${PARENT_SPAN_ID}-1` });
    await server.finished();
    await flush();

    const [calls] = memory.find('handler.calls');
    expect(calls.exemplars.map((exemplar) => [exemplar.traceId, exemplar.spanId])).toEqual([[TRACE_ID, seen.spanId]]);
    const [duration] = memory.find('http.server.duration');
    expect(duration).toMatchObject({ type: 'distribution', unit: 'millisecond', count: 1 });
    expect(duration.attributes).toEqual({ 'http.request.method': 'POST', 'http.response.status_code': 200 });
    expect(duration.exemplars[0]).toMatchObject({ traceId: TRACE_ID, spanId: seen.spanId });
  });

  it('marks the span failed for a 5xx response', async () => {
    start({ tracesSampleRate: 1 });
    const server = await startServer(false, 503);
    const { status } = await send(server.url);
    await server.finished();
    await flush();

    expect(status).toBe(503);
    expect(serverSpans()[0]).toMatchObject({ status: 'error', statusMessage: 'HTTP 503' });
    expect(serverSpans()[0].attributes['http.response.status_code']).toBe(503);
  });

  it('traces https servers too (https.Server does not inherit from http.Server)', async () => {
    start({ tracesSampleRate: 0 });
    const server = await startServer(true);
    const { seen } = await send(server.url, { 'sentry-trace': `${TRACE_ID}-${PARENT_SPAN_ID}-1` });
    await server.finished();
    await flush();

    expect(seen).toMatchObject({ traceId: TRACE_ID, parentSpanId: PARENT_SPAN_ID, sampled: true });
    expect(serverSpans()).toHaveLength(1);
  });

  it('traces servers created before init', async () => {
    const server = await startServer();
    start({ tracesSampleRate: 0 });
    const { seen } = await send(server.url, { 'sentry-trace': `${TRACE_ID}-${PARENT_SPAN_ID}-1` });

    expect(seen).toMatchObject({ traceId: TRACE_ID, parentSpanId: PARENT_SPAN_ID });
  });

  it('takes the patch off on close(): no own emit on the prototypes, no span in handlers', async () => {
    start({ tracesSampleRate: 1 });
    expect(Object.hasOwn(http.Server.prototype, 'emit')).toBe(true);
    expect(Object.hasOwn(https.Server.prototype, 'emit')).toBe(true);
    await close();

    expect(Object.hasOwn(http.Server.prototype, 'emit')).toBe(false);
    expect(Object.hasOwn(https.Server.prototype, 'emit')).toBe(false);
    expect(http.Server.prototype.emit).toBe(originalServerEmit);
    const server = await startServer();
    const { seen } = await send(server.url, { 'sentry-trace': `${TRACE_ID}-${PARENT_SPAN_ID}-1` });
    expect(seen.spanId).toBeUndefined();
  });

  it('wraps once: a second instrumentHttpServer changes nothing, and init/close cycles leave the prototypes clean', async () => {
    start({ tracesSampleRate: 1 });
    const patched = http.Server.prototype.emit;
    const undoSecond = instrumentHttpServer();
    expect(http.Server.prototype.emit).toBe(patched);
    undoSecond();
    expect(http.Server.prototype.emit).toBe(patched);
    await close();
    start({ tracesSampleRate: 1 });
    await close();

    expect(Object.hasOwn(http.Server.prototype, 'emit')).toBe(false);
    expect(http.Server.prototype.emit).toBe(originalServerEmit);
  });

  it('keeps a later wrapper by another tool in place on close, passing calls through', async () => {
    start({ tracesSampleRate: 1 });
    const ours = http.Server.prototype.emit;
    const calls: string[] = [];
    const theirs = function (this: http.Server, event: string, ...args: unknown[]) {
      if (event === 'request') calls.push('theirs');
      return (ours as (event: string, ...rest: unknown[]) => boolean).call(this, event, ...args);
    };
    http.Server.prototype.emit = theirs as typeof ours;
    try {
      await close();
      expect(http.Server.prototype.emit).toBe(theirs);
      const server = await startServer();
      const { seen } = await send(server.url, { 'sentry-trace': `${TRACE_ID}-${PARENT_SPAN_ID}-1` });
      expect(calls).toEqual(['theirs']);
      expect(seen.spanId).toBeUndefined();
    } finally {
      delete (http.Server.prototype as Partial<http.Server>).emit;
    }
  });
});
