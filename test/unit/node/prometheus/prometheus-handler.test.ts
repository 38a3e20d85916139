import { afterEach, describe, expect, it, vi } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { DropCounter } from '../../../../src/core/internal/drop-counter';
import type { MetricBatch } from '../../../../src/core/export/exporter';
import { debugLogger } from '../../../../src/core/internal/debug-logger';
import type { Exemplar, MetricPoint } from '../../../../src/core/metrics/types';
import { prometheusHandler } from '../../../../src/node/prometheus/prometheus-handler';
import { countTurns } from '../../../support/count-turns';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  debugLogger.resetWarnings();
  vi.restoreAllMocks();
});

async function serve(listener: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

const exemplar = (traceId: string): Exemplar => ({ value: 1, timestampMs: Date.now(), traceId, spanId: '00f067aa0ba902b7', sampled: true });

function batch(points: Array<Partial<MetricPoint> & Pick<MetricPoint, 'type' | 'name'>>): MetricBatch {
  const at = Date.now();
  return {
    resource: { attributes: {}, sdk: { name: 'isometer', version: '0' } },
    startTimeMs: at - 1000,
    endTimeMs: at,
    points: points.map((point) => ({ unit: '', attributes: {}, startTimeMs: at - 1000, timeMs: at, exemplars: [], sum: 0, count: 1, last: 0, min: 0, max: 0, ...point }) as MetricPoint),
  };
}

describe('prometheusHandler', () => {
  it('adds each flush to running totals and serves them to every scrape, keeping the latest exemplar', async () => {
    const handler = prometheusHandler();
    const url = await serve((request, response) => void handler.handle(request, response));
    await handler.exportMetrics!(
      batch([
        { type: 'counter', name: 'jobs', sum: 3, exemplars: [exemplar('4bf92f3577b34da6a3ce929d0e0e4736')] },
        { type: 'gauge', name: 'depth', last: 9 },
      ]),
      { drops: new DropCounter() },
    );
    await handler.exportMetrics!(
      batch([
        { type: 'counter', name: 'jobs', sum: 4 },
        { type: 'gauge', name: 'depth', last: 2 },
      ]),
      { drops: new DropCounter() },
    );
    const text = await (await fetch(url)).text();
    expect(text).toContain('jobs_total 7\n');
    expect(text).toContain('depth 2\n');
    for (let scrape = 0; scrape < 2; scrape++) {
      const open = await (await fetch(url, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } })).text();
      expect(open).toMatch(/^jobs_total 7 # \{trace_id="4bf92f3577b34da6a3ce929d0e0e4736",span_id="00f067aa0ba902b7"\} 1 \d+\.\d{3}$/m);
    }
  });

  it('answers with the negotiated content type, gzipped when accepted, HEAD without a body, and 405 to other methods', async () => {
    const handler = prometheusHandler();
    const url = await serve((request, response) => void handler.handle(request, response));
    await handler.exportMetrics!(batch([{ type: 'counter', name: 'jobs', sum: 1 }]));
    const plain = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const open = await fetch(url, { headers: { accept: 'application/openmetrics-text;version=1.0.0' } });
    expect(open.headers.get('content-type')).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    const proto = await fetch(url, { headers: { accept: 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited' } });
    expect(proto.headers.get('content-type')).toBe('application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited');
    const zipped = await handler.scrape(undefined, 'gzip, deflate');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).toString()).toBe(await plain.text());
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await fetch(url, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers through the call shapes Fastify (request, reply) and Koa (ctx, next) document', async () => {
    const handler = prometheusHandler();
    await handler.exportMetrics!(batch([{ type: 'counter', name: 'jobs', sum: 5 }]));
    // Fastify: request.raw / reply.raw are node's; the reply is sent with code(), header(), send().
    const fastifyUrl = await serve((raw, rawReply) => {
      const headers: Record<string, string> = {};
      let status = 200;
      const reply = {
        raw: rawReply,
        code: (code: number) => ((status = code), reply),
        header: (name: string, value: string) => ((headers[name] = value), reply),
        send: (body: Buffer) => (rawReply.writeHead(status, headers).end(body), reply),
      };
      void handler.handle({ raw, headers: raw.headers }, reply);
    });
    expect(await (await fetch(fastifyUrl)).text()).toContain('jobs_total 5\n');
    // Koa: ctx.req / ctx.res are node's; the middleware sets ctx.status, ctx.set() and ctx.body, which Koa writes once it resolves.
    const koaUrl = await serve(async (req, res) => {
      const headers: Record<string, string> = {};
      const ctx = { req, res, status: 404, body: undefined as unknown, set: (name: string, value: string) => void (headers[name] = value) };
      await handler.handle(ctx, async () => undefined);
      res.writeHead(ctx.status, headers).end(ctx.body as Buffer);
    });
    const koa = await fetch(koaUrl, { headers: { accept: 'application/openmetrics-text' } });
    expect(koa.headers.get('content-type')).toMatch(/^application\/openmetrics-text/);
    expect(await koa.text()).toContain('jobs_total 5\n');
  });

  it('keeps at most maxSeries series, folding the rest into isometer_overflow="true" with exact totals, counted', async () => {
    const handler = prometheusHandler({ maxSeries: 2 });
    const drops = new DropCounter();
    await handler.exportMetrics!(batch([1, 2, 3, 4].map((user) => ({ type: 'counter' as const, name: 'logins', sum: user, attributes: { user: `u${user}` } }))), { drops });
    const text = new TextDecoder().decode((await handler.scrape()).body);
    expect(text).toContain('logins_total{user="u1"} 1\n');
    expect(text).toContain('logins_total{user="u2"} 2\n');
    expect(text).toContain('logins_total{isometer_overflow="true"} 7\n');
    expect(drops.snapshot()).toEqual({ cardinality_overflow: 2 });
  });

  it('never throws: bad options, a malformed batch, handle() called with nothing it knows', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    for (const options of [null, 7, { maxSeries: -1, expireAfterMs: 'x' }] as unknown as Parameters<typeof prometheusHandler>[0][]) expect(() => prometheusHandler(options)).not.toThrow();
    const handler = prometheusHandler();
    for (const malformed of [undefined, {}, { points: 'x' }, { points: [null] }] as unknown as MetricBatch[]) await expect(Promise.resolve(handler.exportMetrics!(malformed))).resolves.toBeDefined();
    await expect(handler.handle()).resolves.toBeUndefined();
    await expect(handler.handle({}, {})).resolves.toBeUndefined();
    expect((await handler.scrape('text/plain')).status).toBe(200);
    expect(warn.mock.calls.map((call) => call.join(' ')).join('\n')).toMatch(/handle was called with neither/);
  });

  it('builds a large exposition in slices: the event loop runs while it is made', async () => {
    const handler = prometheusHandler({ maxSeries: 50_000 });
    await handler.exportMetrics!(batch(Array.from({ length: 20_000 }, (_, i) => ({ type: 'counter' as const, name: 'hits', sum: 1, attributes: { page: `/p${i}` } }))));
    const turns = countTurns();
    const scraped = await handler.scrape('application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited');
    const turnsTaken = turns.stop();
    expect(scraped.body.length).toBeGreaterThan(20_000 * 10);
    expect(turnsTaken).toBeGreaterThan(1);
  });
});

describe('prometheusHandler, sliced', () => {
  const manySeries = (sum: number): MetricBatch => batch(Array.from({ length: 30_000 }, (_, i) => ({ type: 'counter' as const, name: 'orders', sum, attributes: { shard: `s${i}` } })));

  it('reads the totals in slices, letting the event loop run, and a scrape asked for during a flush sees all of that flush', async () => {
    const handler = prometheusHandler({ maxSeries: 50_000 });
    const context = { drops: new DropCounter() };
    await handler.exportMetrics!(manySeries(1), context);
    // The second flush is still adding (in slices) when the scrape is asked for.
    const adding = handler.exportMetrics!(manySeries(1), context);
    const turns = countTurns();
    const scraped = await handler.scrape('text/plain;version=0.0.4');
    const turnsTaken = turns.stop();
    await adding;
    const text = new TextDecoder().decode(scraped.body);
    const values = [...text.matchAll(/^orders_total\{shard="s\d+"\} (\d+)$/gm)].map((match) => match[1]);
    expect(values).toHaveLength(30_000);
    // Every series has both flushes: none was read between the slices of the add.
    expect(new Set(values)).toEqual(new Set(['2']));
    expect(turnsTaken).toBeGreaterThan(1);
  });

  it('a scrape asked for before a flush sees none of that flush, and the next scrape sees all of it', async () => {
    const handler = prometheusHandler({ maxSeries: 50_000 });
    const context = { drops: new DropCounter() };
    await handler.exportMetrics!(manySeries(1), context);
    const before = handler.scrape('text/plain;version=0.0.4');
    const adding = handler.exportMetrics!(manySeries(5), context);
    const after = handler.scrape('text/plain;version=0.0.4');
    await adding;
    const values = async (scrape: Promise<{ body: Uint8Array }>) =>
      new Set([...new TextDecoder().decode((await scrape).body).matchAll(/^orders_total\{shard="s\d+"\} (\d+)$/gm)].map((match) => match[1]));
    expect(await values(before)).toEqual(new Set(['1']));
    expect(await values(after)).toEqual(new Set(['6']));
  });
});
