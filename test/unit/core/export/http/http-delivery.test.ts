import { describe, it, expect } from 'vitest';
import { DropCounter } from '../../../../../src/core/internal/drop-counter';
import { createHttpDelivery, type HttpDeliveryOptions } from '../../../../../src/core/export/http/http-delivery';
import type { HttpRequest, HttpResponse, HttpTransport } from '../../../../../src/core/export/http/http-transport';

interface Call {
  request: HttpRequest;
  at: number;
  respond(status: number, headers?: HttpResponse['headers']): void;
  fail(error: Error): void;
}

/** A transport whose every request waits until the test answers it. */
function heldTransport(): HttpTransport & { calls: Call[]; callCount(n: number): Promise<void> } {
  const calls: Call[] = [];
  const watchers: Array<{ n: number; resolve(): void }> = [];
  return {
    calls,
    callCount(n) {
      return calls.length >= n ? Promise.resolve() : new Promise((resolve) => watchers.push({ n, resolve }));
    },
    send(request) {
      return new Promise<HttpResponse>((resolve, reject) => {
        calls.push({ request, at: performance.now(), respond: (status, headers = {}) => resolve({ status, headers }), fail: reject });
        for (const watcher of [...watchers]) if (calls.length >= watcher.n) watcher.resolve();
      });
    },
  };
}

/** A transport that answers each request at once from `answer(attempt)`. */
function scriptedTransport(answer: (attempt: number, request: HttpRequest) => HttpResponse | Error): HttpTransport & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    requests,
    async send(request) {
      requests.push(request);
      const result = answer(requests.length, request);
      if (result instanceof Error) throw result;
      return result;
    },
  };
}

const FAST: Partial<HttpDeliveryOptions> = { initialBackoffMs: 1, maxBackoffMs: 5 };
const request = (body: string, items = 1, category = 'trace_metric') => ({ url: 'http://collector.test/v1/metrics', body, headers: { 'content-type': 'application/json' }, category, items });
const ok = (): HttpResponse => ({ status: 200, headers: {} });
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('createHttpDelivery', () => {
  it('sends requests in order and flush resolves true once all are delivered', async () => {
    const transport = scriptedTransport(ok);
    const drops = new DropCounter();
    const delivery = createHttpDelivery({ ...FAST, transport, drops });
    for (const body of ['a', 'b', 'c']) expect(delivery.enqueue(request(body))).toBe(true);
    expect(await delivery.flush(5000)).toBe(true);
    expect(transport.requests.map((sent) => sent.body)).toEqual(['a', 'b', 'c']);
    expect(drops.snapshot()).toEqual({});
    expect(delivery.pending()).toEqual({ requests: 0, bytes: 0 });
  });

  it('drops a request refused with a 4xx other than 429 without retrying, counting its items as export_error', async () => {
    const transport = scriptedTransport(() => ({ status: 400, headers: {} }));
    const drops = new DropCounter();
    const delivery = createHttpDelivery({ ...FAST, transport, drops });
    delivery.enqueue(request('bad', 7));
    expect(await delivery.flush(5000)).toBe(false);
    expect(transport.requests).toHaveLength(1);
    expect(drops.snapshot()).toEqual({ export_error: 7 });
  });

  it('retries network errors maxRetries times, then counts the items as network_error', async () => {
    const transport = scriptedTransport(() => new Error('ECONNREFUSED'));
    const drops = new DropCounter();
    const delivery = createHttpDelivery({ ...FAST, maxRetries: 3, transport, drops });
    delivery.enqueue(request('lost', 4));
    expect(await delivery.flush(5000)).toBe(false);
    expect(transport.requests).toHaveLength(4);
    expect(drops.snapshot()).toEqual({ network_error: 4 });
  });

  it('counts a request that got 429 on every attempt as rate_limited', async () => {
    const transport = scriptedTransport(() => ({ status: 429, headers: {} }));
    const drops = new DropCounter();
    const delivery = createHttpDelivery({ ...FAST, maxRetries: 2, transport, drops });
    delivery.enqueue(request('throttled', 3));
    await delivery.flush(5000);
    expect(transport.requests).toHaveLength(3);
    expect(drops.snapshot()).toEqual({ rate_limited: 3 });
  });

  it('delivers once after 503s and loses nothing', async () => {
    const transport = scriptedTransport((attempt) => (attempt < 3 ? { status: 503, headers: {} } : ok()));
    const drops = new DropCounter();
    const delivery = createHttpDelivery({ ...FAST, transport, drops });
    delivery.enqueue(request('payload'));
    expect(await delivery.flush(5000)).toBe(true);
    expect(transport.requests.map((sent) => sent.body)).toEqual(['payload', 'payload', 'payload']);
    expect(drops.snapshot()).toEqual({});
  });

  it('keeps a retried request ahead of requests queued after it', async () => {
    const transport = heldTransport();
    const delivery = createHttpDelivery({ ...FAST, maxConcurrentRequests: 1, transport, drops: new DropCounter() });
    delivery.enqueue(request('first'));
    delivery.enqueue(request('second'));
    transport.calls[0].fail(new Error('reset'));
    await transport.callCount(2);
    transport.calls[1].respond(200);
    await transport.callCount(3);
    transport.calls[2].respond(200);
    expect(await delivery.flush(5000)).toBe(true);
    expect(transport.calls.map((call) => call.request.body)).toEqual(['first', 'first', 'second']);
  });

  it('keeps at most maxConcurrentRequests in flight', async () => {
    const transport = heldTransport();
    const delivery = createHttpDelivery({ ...FAST, maxConcurrentRequests: 2, transport, drops: new DropCounter() });
    for (const body of ['1', '2', '3', '4', '5']) delivery.enqueue(request(body));
    await settle();
    expect(transport.calls).toHaveLength(2);
    transport.calls[0].respond(200);
    await transport.callCount(3);
    await settle();
    expect(transport.calls).toHaveLength(3);
    for (let index = 1; index < 5; index++) {
      await transport.callCount(index + 1);
      transport.calls[index].respond(200);
    }
    expect(await delivery.flush(5000)).toBe(true);
  });

  it('on overflow drops the oldest waiting requests and counts their items exactly', async () => {
    const transport = heldTransport();
    const drops = new DropCounter();
    const delivery = createHttpDelivery({ ...FAST, maxQueueItems: 2, maxConcurrentRequests: 1, transport, drops });
    delivery.enqueue(request('A', 1));
    for (const [body, items] of [
      ['B', 2],
      ['C', 3],
      ['D', 4],
      ['E', 5],
    ] as const)
      expect(delivery.enqueue(request(body, items))).toBe(true);
    expect(drops.snapshot()).toEqual({ queue_overflow: 2 + 3 });
    for (let index = 0; index < 3; index++) {
      await transport.callCount(index + 1);
      transport.calls[index].respond(200);
    }
    await delivery.flush(5000);
    expect(transport.calls.map((call) => call.request.body)).toEqual(['A', 'D', 'E']);
    expect(drops.snapshot()).toEqual({ queue_overflow: 5 });
  });

  it('bounds the queue by bytes too, and refuses a single body larger than the bound', async () => {
    const transport = heldTransport();
    const drops = new DropCounter();
    const delivery = createHttpDelivery({ ...FAST, maxQueueBytes: 10, maxConcurrentRequests: 1, transport, drops });
    delivery.enqueue(request('inflight', 1));
    delivery.enqueue(request('123456', 2));
    delivery.enqueue(request('abcdef', 3));
    expect(drops.snapshot()).toEqual({ queue_overflow: 2 });
    expect(delivery.enqueue(request('x'.repeat(11), 4))).toBe(false);
    expect(drops.snapshot()).toEqual({ queue_overflow: 6 });
    expect(delivery.pending()).toEqual({ requests: 2, bytes: 'inflight'.length + 6 });
  });

  it('holds a category paused by X-Sentry-Rate-Limits while other categories go out', async () => {
    const transport = heldTransport();
    const drops = new DropCounter();
    const delivery = createHttpDelivery({ ...FAST, transport, drops });
    delivery.enqueue(request('span-1', 1, 'span'));
    const pausedAt = performance.now();
    transport.calls[0].respond(200, { 'x-sentry-rate-limits': '1:span:organization:quota_exceeded' });
    await settle();
    delivery.enqueue(request('span-2', 1, 'span'));
    delivery.enqueue(request('metric-1', 1, 'trace_metric'));
    await transport.callCount(2);
    expect(transport.calls[1].request.body).toBe('metric-1');
    transport.calls[1].respond(200);
    await transport.callCount(3);
    expect(transport.calls[2].request.body).toBe('span-2');
    // Timers may fire up to a millisecond early against performance.now().
    expect(transport.calls[2].at - pausedAt).toBeGreaterThanOrEqual(998);
    transport.calls[2].respond(200);
    expect(await delivery.flush(5000)).toBe(true);
    expect(drops.snapshot()).toEqual({});
  });

  it('gives up a flush at once when a pause outlasts its timeout, and close counts what is still held as rate_limited', async () => {
    const transport = scriptedTransport(() => ({ status: 429, headers: { 'x-sentry-rate-limits': '3600:span:key' } }));
    const drops = new DropCounter();
    const delivery = createHttpDelivery({ ...FAST, transport, drops });
    delivery.enqueue(request('span', 9, 'span'));
    expect(await delivery.flush(60_000)).toBe(false);
    expect(transport.requests).toHaveLength(1);
    expect(await delivery.close(0)).toBe(false);
    expect(drops.snapshot()).toEqual({ rate_limited: 9 });
  });

  it('turns a transport that throws or never answers into a counted network error, never an exception', async () => {
    const drops = new DropCounter();
    const throwing: HttpTransport = {
      send() {
        throw new Error('synchronous failure');
      },
    };
    const delivery = createHttpDelivery({ ...FAST, maxRetries: 1, transport: throwing, drops });
    expect(() => delivery.enqueue(request('a', 2))).not.toThrow();
    expect(await delivery.flush(5000)).toBe(false);
    const silent = createHttpDelivery({ ...FAST, maxRetries: 0, sendTimeoutMs: 20, transport: { send: () => new Promise<HttpResponse>(() => undefined) }, drops });
    silent.enqueue(request('b', 3));
    expect(await silent.flush(5000)).toBe(false);
    expect(drops.snapshot()).toEqual({ network_error: 5 });
  });

  it('refuses and counts requests made after close', async () => {
    const drops = new DropCounter();
    const delivery = createHttpDelivery({ ...FAST, transport: scriptedTransport(ok), drops });
    expect(await delivery.close(1000)).toBe(true);
    expect(delivery.enqueue(request('late', 6))).toBe(false);
    expect(drops.snapshot()).toEqual({ export_error: 6 });
  });
});
