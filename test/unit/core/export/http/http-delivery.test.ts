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

  it('pulls a source only as the queue drains, so a batch larger than the queue loses nothing', async () => {
    const transport = heldTransport();
    const drops = new DropCounter();
    // A queue of 2 requests and 100 bytes, a source of 50 requests of 90 bytes each.
    const delivery = createHttpDelivery({ transport, drops, maxQueueItems: 2, maxQueueBytes: 100, maxConcurrentRequests: 2, ...FAST });
    let made = 0;
    expect(delivery.enqueueSource({ next: () => (made < 50 ? request(String(made++).padEnd(90, '.'), 3) : undefined), remaining: () => (50 - made) * 3 })).toBe(true);
    await transport.callCount(2);
    // Two in flight and one encoded ahead (the queue stays under half its bytes): nothing more.
    expect(made).toBe(3);
    for (let answered = 0; answered < 50; answered++) {
      await transport.callCount(answered + 1);
      transport.calls[answered].respond(200);
    }
    expect(await delivery.flush(1000)).toBe(true);
    expect(transport.calls.map((call) => Number.parseInt(call.request.body as string, 10))).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(drops.snapshot()).toEqual({});
  });

  it('asks a source that said null (encoding across turns) again after the host had a turn; a flush meanwhile waits for it and resolves true', async () => {
    const transport = scriptedTransport(ok);
    const drops = new DropCounter();
    const delivery = createHttpDelivery({ ...FAST, transport, drops });
    // Each request takes three calls: two nulls (its encoding goes on) and the request.
    let calls = 0;
    let made = 0;
    const source = {
      next: () => {
        calls++;
        if (made === 3) return undefined;
        return calls % 3 !== 0 ? null : request(`part ${made++}`, 2);
      },
      remaining: () => (3 - made) * 2,
    };
    expect(delivery.enqueueSource(source)).toBe(true);
    // Asked once in the task that enqueued it: after a null, not again before the host's turn.
    expect(calls).toBe(1);
    await settle();
    expect(calls).toBe(2);
    expect(await delivery.flush(5000)).toBe(true);
    expect(transport.requests.map((sent) => sent.body)).toEqual(['part 0', 'part 1', 'part 2']);
    expect(drops.snapshot()).toEqual({});
    expect(delivery.pending()).toEqual({ requests: 0, bytes: 0 });
  });

  it('counts what a source still holds when the delivery closes while it is encoding across turns', async () => {
    const drops = new DropCounter();
    const delivery = createHttpDelivery({ ...FAST, transport: scriptedTransport(ok), drops });
    // A source that never finishes its request: every call says null.
    delivery.enqueueSource({ next: () => null, remaining: () => 9 });
    expect(await delivery.close(20)).toBe(false);
    expect(drops.snapshot()).toEqual({ export_timeout: 9 });
  });

  it('sends byte bodies as they are and counts their bytes', async () => {
    const transport = heldTransport();
    const delivery = createHttpDelivery({ transport, ...FAST });
    delivery.enqueue({ ...request(''), body: new Uint8Array([1, 2, 3, 4]) });
    await transport.callCount(1);
    expect(delivery.pending()).toEqual({ requests: 1, bytes: 4 });
    expect(transport.calls[0].request.body).toEqual(new Uint8Array([1, 2, 3, 4]));
    transport.calls[0].respond(200);
    expect(await delivery.flush(1000)).toBe(true);
  });

  it('drops the oldest sources whole past maxBacklogItems, never the newest, and counts their items', () => {
    const drops = new DropCounter();
    const delivery = createHttpDelivery({ transport: heldTransport(), drops, maxBacklogItems: 10, maxConcurrentRequests: 1, ...FAST });
    const source = (items: number) => ({ next: () => request('x', items), remaining: () => items });
    delivery.enqueue(request('first'));
    delivery.enqueue(request('second'));
    delivery.enqueueSource(source(6));
    delivery.enqueueSource(source(6));
    expect(drops.snapshot()).toEqual({ queue_overflow: 6 });
    delivery.enqueueSource(source(25));
    expect(drops.snapshot()).toEqual({ queue_overflow: 12 });
  });
});
