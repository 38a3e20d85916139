import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { initWithRuntime } from '../../../src/core/sdk/init';
import { createAsyncContextManager } from '../../../src/node/async-context-manager';
import { close, flush, getActiveSpan, init, isometerMiddleware, memoryExporter, type IsometerOptions, type MemoryExporter } from '../../../src/node/index';

// Taken before init patches anything.
const plainRequest = http.request;

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN_ID = '00f067aa0ba902b7';

type RoutedRequest = http.IncomingMessage & { route?: { path: string }; baseUrl?: string };

/** A route of the stand-in app: Express sets `req.route` (and `req.baseUrl` under a mounted router) when one matches. */
interface Route {
  pattern: RegExp;
  path: string;
  baseUrl?: string;
}

const servers: http.Server[] = [];
let memory: MemoryExporter;

afterEach(async () => {
  await close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

function startWithServerInstrumentation(options: IsometerOptions = {}): void {
  memory = memoryExporter();
  init({ exporters: [memory], flushIntervalMs: 0, tracesSampleRate: 1, ...options });
}

/** A client with Node's async context but none of the http patches: the middleware is on its own. */
function startWithoutServerInstrumentation(): void {
  memory = memoryExporter();
  initWithRuntime({ exporters: [memory], flushIntervalMs: 0, tracesSampleRate: 1 }, { contextManager: createAsyncContextManager() });
}

/**
 * A Connect-style app: the middleware first, then a router that sets `req.route` like Express
 * and answers, after an await, with the span active at that point. `finished` resolves once the
 * response has closed (after isometer's listeners, which were added first).
 */
async function startApp(routes: Route[]): Promise<{ url: string; finished: () => Promise<void> }> {
  const middleware = isometerMiddleware();
  let closed: Promise<void> = Promise.resolve();
  const server = http.createServer((request: RoutedRequest, response) => {
    closed = new Promise((resolve) => response.once('close', () => resolve()));
    middleware(request, response, async () => {
      const route = routes.find((candidate) => candidate.pattern.test(request.url ?? ''));
      if (route) {
        request.baseUrl = route.baseUrl ?? '';
        request.route = { path: route.path };
      }
      await new Promise((resolve) => setImmediate(resolve));
      response.statusCode = route ? 200 : 404;
      response.end(JSON.stringify({ spanId: getActiveSpan()?.spanId, traceId: getActiveSpan()?.traceId }));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, finished: () => closed };
}

function send(url: string, headers: Record<string, string> = {}): Promise<{ spanId?: string; traceId?: string }> {
  return new Promise((resolve, reject) => {
    const request = plainRequest(url, { headers }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve(JSON.parse(text)));
    });
    request.on('error', reject);
    request.end();
  });
}

const USER_ROUTE: Route = { pattern: /^\/users\/\d+/, path: '/users/:id' };

describe('isometerMiddleware', () => {
  it("renames the server instrumentation's span to the route instead of making a second span", async () => {
    startWithServerInstrumentation();
    const app = await startApp([USER_ROUTE]);
    const seen = await send(`${app.url}/users/42?tab=orders`, { 'sentry-trace': `${TRACE_ID}-${PARENT_SPAN_ID}-1` });
    await app.finished();
    await flush();

    const spans = memory.spans.filter((span) => span.op === 'http.server');
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({ name: 'GET /users/:id', spanId: seen.spanId, traceId: TRACE_ID, parentSpanId: PARENT_SPAN_ID });
    expect(spans[0].attributes).toMatchObject({ 'http.route': '/users/:id', 'url.path': '/users/42' });
    const [duration] = memory.find('http.server.request.duration');
    expect(duration.attributes).toEqual({ 'http.request.method': 'GET', 'http.response.status_code': 200, 'http.route': '/users/:id', 'server.address': '127.0.0.1', 'url.scheme': 'http' });
  });

  it('continues the trace itself when the server is not instrumented, active across awaits', async () => {
    startWithoutServerInstrumentation();
    const app = await startApp([USER_ROUTE]);
    const seen = await send(`${app.url}/users/7`, { 'sentry-trace': `${TRACE_ID}-${PARENT_SPAN_ID}-1` });
    await app.finished();
    await flush();

    expect(seen.traceId).toBe(TRACE_ID);
    const spans = memory.spans.filter((span) => span.op === 'http.server');
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({ name: 'GET /users/:id', spanId: seen.spanId, parentSpanId: PARENT_SPAN_ID });
  });

  it('includes the mount path of a nested router in the route', async () => {
    startWithServerInstrumentation();
    const app = await startApp([{ pattern: /^\/api\/v1\/carts\//, path: '/carts/:cartId', baseUrl: '/api/v1' }]);
    await send(`${app.url}/api/v1/carts/9`);
    await app.finished();
    await flush();

    expect(memory.spans.find((span) => span.op === 'http.server')?.name).toBe('GET /api/v1/carts/:cartId');
  });

  it('keeps the URL name, and leaves the path out of the metric, when no route matched', async () => {
    startWithServerInstrumentation();
    const app = await startApp([USER_ROUTE]);
    await send(`${app.url}/nowhere/123`);
    await app.finished();
    await flush();

    expect(memory.spans.find((span) => span.op === 'http.server')?.name).toBe('GET /nowhere/123');
    const [duration] = memory.find('http.server.request.duration');
    expect(duration.attributes).toEqual({ 'http.request.method': 'GET', 'http.response.status_code': 404, 'server.address': '127.0.0.1', 'url.scheme': 'http' });
  });

  it('calls next exactly once and lets its error through unchanged', () => {
    startWithoutServerInstrumentation();
    const middleware = isometerMiddleware();
    const failure = new Error('route failed');
    let calls = 0;
    const request = new http.IncomingMessage(null as never);
    const response = new http.ServerResponse(request);
    expect(() =>
      middleware(request, response, () => {
        calls++;
        throw failure;
      }),
    ).toThrow(failure);
    expect(calls).toBe(1);
  });

  it('just calls next before init', () => {
    let active: unknown = 'not called';
    const request = new http.IncomingMessage(null as never);
    isometerMiddleware()(request, new http.ServerResponse(request), () => (active = getActiveSpan()));
    expect(active).toBeUndefined();
  });
});
