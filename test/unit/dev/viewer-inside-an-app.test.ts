import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, flush, init, memoryExporter, type MemoryExporter } from '../../../src/node/index';
import { testViewer } from './viewer-fixture';

// isometer/node instruments every node:http server in this process; vitest runs each file in its own.
let memory: MemoryExporter;
let viewer: Awaited<ReturnType<typeof testViewer>>;
let app: http.Server;

beforeAll(async () => {
  memory = memoryExporter();
  init({ serviceName: 'shop', tracesSampleRate: 1, flushIntervalMs: 0, exporters: [memory] });
  viewer = await testViewer();
  app = http.createServer((_, response) => response.end('ok'));
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await close();
  await viewer.close();
  app.closeAllConnections();
  await new Promise<void>((resolve) => app.close(() => resolve()));
});

describe('isometer dev started inside an instrumented app', () => {
  it("traces the app's requests but never its own", async () => {
    await (await fetch(`http://127.0.0.1:${(app.address() as AddressInfo).port}/orders`)).text();
    await (await fetch(`${viewer.url}/api/state`)).text();
    await (await fetch(`${viewer.url}/`)).text();
    expect(await flush()).toBe(true);
    const served = memory.spans.filter((span) => span.op === 'http.server').map((span) => span.name);
    expect(served).toEqual(['GET /orders']);
  });
});
