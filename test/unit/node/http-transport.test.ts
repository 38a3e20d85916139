import { describe, it, expect, afterEach } from 'vitest';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync, inflateSync } from 'node:zlib';
import { DropCounter } from '../../../src/core/internal/drop-counter';
import { createHttpDelivery, type HttpDeliveryOptions } from '../../../src/core/export/http/http-delivery';
import { createNodeHttpTransport } from '../../../src/node/http-transport';

interface Arrival {
  at: number;
  path: string;
  body: string;
  raw: Buffer;
  headers: http.IncomingHttpHeaders;
  remotePort: number | undefined;
}

type Handler = (request: http.IncomingMessage, response: http.ServerResponse, index: number) => void;

const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** A loopback server that records every request (server-side time, body) and answers with `handle`. */
async function startServer(handle: Handler) {
  const arrivals: Arrival[] = [];
  const watchers: Array<{ n: number; resolve(): void }> = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const index = arrivals.length;
      const raw = Buffer.concat(chunks);
      arrivals.push({ at: performance.now(), path: request.url ?? '', body: raw.toString('utf8'), raw, headers: request.headers, remotePort: request.socket.remotePort });
      for (const watcher of [...watchers]) if (arrivals.length >= watcher.n) watcher.resolve();
      handle(request, response, index);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const handleOnServer = {
    url: `http://127.0.0.1:${port}/v1/metrics`,
    arrivals,
    arrived: (n: number) => (arrivals.length >= n ? Promise.resolve() : new Promise<void>((resolve) => watchers.push({ n, resolve }))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(handleOnServer);
  return handleOnServer;
}

const answer =
  (status: number, headers: Record<string, string> = {}) =>
  (_request: http.IncomingMessage, response: http.ServerResponse) =>
    response.writeHead(status, headers).end();
const FAST: Partial<HttpDeliveryOptions> = { initialBackoffMs: 1, maxBackoffMs: 10 };
const payload = (body: string, items = 1, category = 'trace_metric') => ({ url: '', body, headers: { 'content-type': 'application/json' }, category, items });

describe('createNodeHttpTransport', () => {
  it('posts the UTF-8 body and resolves with the status and the retry headers of any response', async () => {
    const server = await startServer(answer(429, { 'Retry-After': '7', 'X-Sentry-Rate-Limits': '60:span:key' }));
    const transport = createNodeHttpTransport();
    const body = JSON.stringify({ name: 'größe ✓' });
    const response = await transport.send({ url: server.url, body, headers: { 'content-type': 'application/json', 'x-api-key': 'k' } });
    expect(response).toEqual({ status: 429, headers: { 'retry-after': '7', 'x-sentry-rate-limits': '60:span:key' } });
    expect(server.arrivals[0].body).toBe(body);
    expect(server.arrivals[0].headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(server.arrivals[0].headers['x-api-key']).toBe('k');
    transport.close?.();
  });

  it('posts a Uint8Array body byte for byte, and delivery counts its bytes', async () => {
    const server = await startServer(answer(202));
    const bytes = deflateSync(Buffer.from('{"series":[]}'));
    const body = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const delivery = createHttpDelivery({ ...FAST, transport: createNodeHttpTransport(), drops: new DropCounter() });
    expect(delivery.enqueue({ url: server.url, body, headers: { 'content-encoding': 'deflate' } })).toBe(true);
    expect(delivery.pending()).toEqual({ requests: 1, bytes: body.byteLength });
    expect(await delivery.flush(10_000)).toBe(true);
    expect(server.arrivals[0].raw.equals(bytes)).toBe(true);
    expect(server.arrivals[0].headers['content-length']).toBe(String(bytes.byteLength));
    expect(inflateSync(server.arrivals[0].raw).toString()).toBe('{"series":[]}');
  });

  it('reuses one kept-alive connection for consecutive requests', async () => {
    const server = await startServer(answer(200));
    const transport = createNodeHttpTransport();
    for (let index = 0; index < 3; index++) await transport.send({ url: server.url, body: '{}', headers: {} });
    expect(new Set(server.arrivals.map((arrival) => arrival.remotePort)).size).toBe(1);
    transport.close?.();
  });

  it('rejects, without throwing, on a reset, a timeout, a closed port and a bad URL', async () => {
    const resetting = await startServer((request) => request.socket.destroy());
    const hanging = await startServer(() => undefined);
    const transport = createNodeHttpTransport({ timeoutMs: 100 });
    await expect(transport.send({ url: resetting.url, body: '{}', headers: {} })).rejects.toThrow();
    await expect(transport.send({ url: hanging.url, body: '{}', headers: {} })).rejects.toThrow(/no response within 100 ms/);
    await expect(transport.send({ url: `http://127.0.0.1:${await closedPort()}/v1/metrics`, body: '{}', headers: {} })).rejects.toThrow(/ECONNREFUSED/);
    await expect(transport.send({ url: 'ftp://example.test/', body: '{}', headers: {} })).rejects.toThrow(/unsupported protocol/);
    transport.close?.();
  });
});

describe('HTTP delivery against faulty loopback servers', () => {
  it('waits out 429 Retry-After: 1 before retrying, then delivers with nothing dropped', async () => {
    const server = await startServer((request, response, index) => (index === 0 ? answer(429, { 'Retry-After': '1' }) : answer(200))(request, response));
    const drops = new DropCounter();
    const delivery = createHttpDelivery({ ...FAST, transport: createNodeHttpTransport(), drops });
    expect(delivery.enqueue({ ...payload('{"n":1}', 3), url: server.url })).toBe(true);
    expect(await delivery.flush(10_000)).toBe(true);
    expect(server.arrivals.map((arrival) => arrival.body)).toEqual(['{"n":1}', '{"n":1}']);
    // Server-side clock: the retry left at least Retry-After after the 429 was sent (timers may run ≤ 1 ms early).
    expect(server.arrivals[1].at - server.arrivals[0].at).toBeGreaterThanOrEqual(999);
    expect(drops.snapshot()).toEqual({});
  });

  it('retries a 500 and the data is accepted exactly once', async () => {
    const statuses: number[] = [];
    const server = await startServer((request, response, index) => {
      statuses.push(index === 0 ? 500 : 200);
      answer(statuses[index])(request, response);
    });
    const drops = new DropCounter();
    const delivery = createHttpDelivery({ ...FAST, transport: createNodeHttpTransport(), drops });
    delivery.enqueue({ ...payload('{"points":5}', 5), url: server.url });
    expect(await delivery.flush(10_000)).toBe(true);
    expect(statuses).toEqual([500, 200]);
    expect(server.arrivals.filter((_, index) => statuses[index] === 200).map((arrival) => arrival.body)).toEqual(['{"points":5}']);
    expect(drops.snapshot()).toEqual({});
  });

  it('times out a hanging server, retries, and delivers when it answers', async () => {
    const server = await startServer((request, response, index) => {
      if (index > 0) answer(200)(request, response);
    });
    const drops = new DropCounter();
    const delivery = createHttpDelivery({ ...FAST, transport: createNodeHttpTransport({ timeoutMs: 150 }), drops });
    delivery.enqueue({ ...payload('{"a":1}', 2), url: server.url });
    expect(await delivery.flush(10_000)).toBe(true);
    expect(server.arrivals).toHaveLength(2);
    expect(drops.snapshot()).toEqual({});
  });

  it('counts the items as network_error when a server hangs on every attempt', async () => {
    const server = await startServer(() => undefined);
    const drops = new DropCounter();
    const delivery = createHttpDelivery({ ...FAST, maxRetries: 1, transport: createNodeHttpTransport({ timeoutMs: 100 }), drops });
    delivery.enqueue({ ...payload('{"a":1}', 4), url: server.url });
    expect(await delivery.flush(10_000)).toBe(false);
    // The retry's timeout can fire before the server has read that retry's body.
    await server.arrived(2);
    expect(server.arrivals).toHaveLength(2);
    expect(drops.snapshot()).toEqual({ network_error: 4 });
  });

  it('retries after a connection reset, and counts network_error once resets use up the retries', async () => {
    const flaky = await startServer((request, response, index) => (index === 0 ? request.socket.destroy() : answer(200)(request, response)));
    const drops = new DropCounter();
    const recovering = createHttpDelivery({ ...FAST, transport: createNodeHttpTransport(), drops });
    recovering.enqueue({ ...payload('{"r":1}', 2), url: flaky.url });
    expect(await recovering.flush(10_000)).toBe(true);
    expect(flaky.arrivals.map((arrival) => arrival.body)).toEqual(['{"r":1}', '{"r":1}']);
    expect(drops.snapshot()).toEqual({});

    const broken = await startServer((request) => request.socket.destroy());
    const failing = createHttpDelivery({ ...FAST, maxRetries: 2, transport: createNodeHttpTransport(), drops });
    failing.enqueue({ ...payload('{"r":2}', 6), url: broken.url });
    expect(await failing.flush(10_000)).toBe(false);
    expect(broken.arrivals).toHaveLength(3);
    expect(drops.snapshot()).toEqual({ network_error: 6 });
  });

  it('counts network_error for a port nobody listens on, and the caller sees no error', async () => {
    const drops = new DropCounter();
    const delivery = createHttpDelivery({ ...FAST, maxRetries: 2, transport: createNodeHttpTransport(), drops });
    const url = `http://127.0.0.1:${await closedPort()}/v1/metrics`;
    expect(() => delivery.enqueue({ ...payload('{}', 8), url })).not.toThrow();
    expect(await delivery.flush(10_000)).toBe(false);
    expect(drops.snapshot()).toEqual({ network_error: 8 });
  });

  it('pauses only the category X-Sentry-Rate-Limits names: metrics pass while spans wait', async () => {
    let spanAttempts = 0;
    const server = await startServer((request, response) => {
      const isSpan = request.headers['x-category'] === 'span';
      if (isSpan && spanAttempts++ === 0) answer(429, { 'X-Sentry-Rate-Limits': '1:span:key:quota_exceeded' })(request, response);
      else answer(200)(request, response);
    });
    const drops = new DropCounter();
    // One request at a time, so the 429 is read before anything queued behind it is sent.
    const delivery = createHttpDelivery({ ...FAST, maxConcurrentRequests: 1, transport: createNodeHttpTransport(), drops });
    const send = (body: string, category: string) => delivery.enqueue({ url: server.url, body, headers: { 'x-category': category }, category, items: 1 });
    send('span-1', 'span');
    send('metric-1', 'trace_metric');
    send('span-2', 'span');
    expect(await delivery.flush(10_000)).toBe(true);
    const bodies = server.arrivals.map((arrival) => arrival.body);
    expect(bodies).toEqual(['span-1', 'metric-1', 'span-1', 'span-2']);
    expect(server.arrivals[2].at - server.arrivals[0].at).toBeGreaterThanOrEqual(999);
    expect(drops.snapshot()).toEqual({});
  });

  it('with a tiny queue drops the oldest waiting requests, counts them exactly and delivers the rest', async () => {
    let release: () => void = () => undefined;
    const server = await startServer((request, response, index) => {
      if (index === 0) release = () => answer(200)(request, response);
      else answer(200)(request, response);
    });
    const drops = new DropCounter();
    const delivery = createHttpDelivery({ ...FAST, maxQueueItems: 2, maxConcurrentRequests: 1, transport: createNodeHttpTransport(), drops });
    for (const [body, items] of [
      ['A', 1],
      ['B', 2],
      ['C', 3],
      ['D', 4],
      ['E', 5],
    ] as const)
      delivery.enqueue({ ...payload(body, items), url: server.url });
    expect(drops.snapshot()).toEqual({ queue_overflow: 2 + 3 });
    await server.arrived(1);
    release();
    expect(await delivery.flush(10_000)).toBe(true);
    expect(server.arrivals.map((arrival) => arrival.body)).toEqual(['A', 'D', 'E']);
    expect(drops.snapshot()).toEqual({ queue_overflow: 5 });
  });
});

/** A port that was just free: listen on an ephemeral port, note it, close it. */
async function closedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
