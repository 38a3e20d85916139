import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { matchCounter } from '../../../src/playwright/match-counter';
import { serverCollector } from '../../../src/playwright/server-collector';
import { sinceMark } from '../../../src/playwright/since-mark';
import type { TelemetrySnapshot } from '../../../src/playwright/telemetry-snapshot';
import { counter, span } from './snapshot-fixtures';

/** A loopback server answering what a server's memory exporter holds, as `serverCollector` reads it. */
let held: TelemetrySnapshot;
/** What the server recorded but has not exported yet: POST /flush moves it into `held`. */
let pending: TelemetrySnapshot['points'];
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.method === 'POST' && request.url === '/flush') held.points.push(...pending.splice(0));
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(held));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/telemetry`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  held = { points: [], spans: [] };
  pending = [];
});

describe('sinceMark', () => {
  it('lets two tests in a row each see value 1 of a counter the server keeps adding to', async () => {
    // The first test's order, flushed in the server's first interval.
    held.points.push(counter('orders.created', 1, { plan: 'pro' }, { startTimeMs: 0, timeMs: 2000 }));
    const secondTest = await sinceMark(serverCollector(url));
    held.points.push(counter('orders.created', 1, { plan: 'pro' }, { startTimeMs: 2000, timeMs: 4000 }));

    expect(matchCounter(await secondTest.collect(), 'orders.created', { value: 1 }).pass).toBe(true);
    const unscoped = matchCounter(await secondTest.unscoped.collect(), 'orders.created', { value: 1 });
    expect(unscoped.pass).toBe(false);
    expect(unscoped.actual).toContain('sum 2');
  });

  it('leaves out only as many equal points as were there at the mark, and spans by id', async () => {
    const same = (): ReturnType<typeof counter> => counter('retries', 1, { b: 2, a: 1 });
    held.points.push(same(), same());
    held.spans.push(span({ traceId: 'a'.repeat(32), spanId: '1'.repeat(16), name: 'before' }));
    const scoped = await sinceMark(serverCollector(url));
    // The same series and interval again (a collector that keeps duplicates), in another key order.
    held.points.push(counter('retries', 1, { a: 1, b: 2 }));
    held.spans.push(span({ traceId: 'a'.repeat(32), spanId: '2'.repeat(16), name: 'after' }));

    const { points, spans } = await scoped.collect();
    expect(points).toHaveLength(1);
    expect(spans.map((entry) => entry.name)).toEqual(['after']);
  });

  it("has the server flush before marking, so an earlier test's unexported data is not counted", async () => {
    pending.push(counter('orders.created', 1, {}, { timeMs: 2000 }));
    const scoped = await sinceMark(serverCollector(url, { flushUrl: url.replace('/telemetry', '/flush') }));
    pending.push(counter('orders.created', 1, {}, { timeMs: 4000 }));
    await fetch(url.replace('/telemetry', '/flush'), { method: 'POST' });
    expect(matchCounter(await scoped.collect(), 'orders.created', { value: 1 }).pass).toBe(true);
    expect(matchCounter(await scoped.unscoped.collect(), 'orders.created', { value: 2 }).pass).toBe(true);
  });

  it('moves the mark on mark(), and marks nothing when the server cannot be read at the start', async () => {
    const unreachable = await sinceMark(serverCollector('http://127.0.0.1:9/telemetry'));
    await expect(unreachable.collect()).rejects.toThrow();

    held.points.push(counter('jobs', 1));
    const scoped = await sinceMark(serverCollector(url));
    held.points.push(counter('jobs', 1, {}, { timeMs: 5000 }));
    expect((await scoped.collect()).points).toHaveLength(1);
    await scoped.mark();
    expect((await scoped.collect()).points).toHaveLength(0);
  });
});
