import http, { request as namedRequest } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { close, flush, getClient, init, memoryExporter, startSpan, type IsometerOptions, type MemoryExporter } from '../../../src/node/index';
import { installTracing } from '../../../src/node/install-tracing';
import { isSentryActive } from '../../../src/node/sentry';
import { suppressTracing } from '../../../src/core/trace/suppress-tracing';
import { TLS_CERT, TLS_KEY } from '../../support/tls-fixture';

// Taken before init patches anything.
const plainRequest = http.request;
const plainGet = http.get;
const plainHttpsGet = https.get;

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN_ID = '00f067aa0ba902b7';

/** A server that answers 200 and keeps the raw headers of every request it got. */
interface Sink {
  url: string;
  received: string[][];
  /** The values of one header (lowercase name) in the n-th request, in order. */
  header(name: string, index?: number): string[];
}

const servers: http.Server[] = [];
let memory: MemoryExporter;

function start(options: IsometerOptions = {}): void {
  memory = memoryExporter();
  init({ exporters: [memory], flushIntervalMs: 0, tracesSampleRate: 1, ...options });
}

afterEach(async () => {
  await close();
  delete (globalThis as { __SENTRY__?: unknown }).__SENTRY__;
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function startSink(secure = false, handler?: http.RequestListener): Promise<Sink> {
  const received: string[][] = [];
  const listener: http.RequestListener = (request, response) => {
    received.push(request.rawHeaders);
    if (handler) return handler(request, response);
    response.end('ok');
  };
  const server = secure ? https.createServer({ key: TLS_KEY, cert: TLS_CERT }, listener) : http.createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${secure ? 'https' : 'http'}://127.0.0.1:${port}`,
    received,
    header(name, index = received.length - 1) {
      const raw = received[index] ?? [];
      const values: string[] = [];
      for (let at = 0; at < raw.length; at += 2) if (raw[at].toLowerCase() === name) values.push(raw[at + 1]);
      return values;
    },
  };
}

/** Waits for the whole response; resolves with its status, or with 0 when the request failed. */
function completion(request: http.ClientRequest): Promise<number> {
  return new Promise((resolve) => {
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', () => resolve(0));
  });
}

/** The request's 'close', which is when isometer ends its span. */
function closed(request: http.ClientRequest): Promise<void> {
  return new Promise((resolve) => request.once('close', () => resolve()));
}

function clientSpans() {
  return memory.spans.filter((span) => span.op === 'http.client');
}

describe('http.request / http.get instrumentation', () => {
  it('gives http.get inside a span its own http.client child span and sends that span as the parent', async () => {
    start();
    const sink = await startSink();
    const rootSpanId = await startSpan({ name: 'checkout' }, async (root) => {
      const request = http.get(`${sink.url}/items?page=2`);
      await Promise.all([completion(request), closed(request)]);
      return root.spanId;
    });
    await flush();

    const [span] = clientSpans();
    expect(span).toMatchObject({ name: `GET ${sink.url}/items`, parentSpanId: rootSpanId, status: 'unset', sampled: true });
    expect(span.attributes).toMatchObject({ 'http.request.method': 'GET', 'url.full': `${sink.url}/items`, 'http.response.status_code': 200, 'server.address': '127.0.0.1' });
    expect(sink.header('sentry-trace')).toEqual([`${span.traceId}-${span.spanId}-1`]);
    const [baggage] = sink.header('baggage');
    expect(baggage).toContain(`sentry-trace_id=${span.traceId}`);
    expect(baggage).toContain('sentry-sampled=true');
    expect(baggage).toContain('sentry-transaction=checkout');
    expect(baggage).toMatch(/sentry-sample_rand=0\.\d+/);
    expect(sink.header('traceparent')).toEqual([]);
  });

  it('adds traceparent with the same ids only when propagateTraceparent is on', async () => {
    start({ propagateTraceparent: true });
    const sink = await startSink();
    await startSpan({ name: 'job' }, async () => {
      const request = http.request(`${sink.url}/a`, { method: 'POST' });
      request.end('x');
      await Promise.all([completion(request), closed(request)]);
    });
    await flush();

    const [span] = clientSpans();
    expect(sink.header('traceparent')).toEqual([`00-${span.traceId}-${span.spanId}-03`]);
    expect(sink.header('sentry-trace')).toEqual([`${span.traceId}-${span.spanId}-1`]);
  });

  it("carries a third-party baggage entry and tracestate from an incoming request to the handler's outgoing call", async () => {
    start({ propagateTraceparent: true, tracesSampleRate: 0 });
    const downstream = await startSink();
    const front = await startSink(false, (request, response) => {
      const outgoing = http.get(`${downstream.url}/next`);
      void completion(outgoing).then(() => response.end('done'));
    });
    const incoming = plainRequest(`${front.url}/in`, {
      headers: {
        'sentry-trace': `${TRACE_ID}-${PARENT_SPAN_ID}-1`,
        baggage: `sentry-trace_id=${TRACE_ID},sentry-sample_rand=0.5,sentry-sample_rate=1,vendor=abc;ttl=5`,
        traceparent: `00-${TRACE_ID}-${PARENT_SPAN_ID}-01`,
        tracestate: 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7',
      },
    });
    incoming.end();
    expect(await completion(incoming)).toBe(200);

    const [sentryTrace] = downstream.header('sentry-trace');
    expect(sentryTrace).toMatch(new RegExp(`^${TRACE_ID}-[0-9a-f]{16}-1$`));
    expect(sentryTrace).not.toContain(PARENT_SPAN_ID);
    const [baggage] = downstream.header('baggage');
    expect(baggage.split(',')).toEqual(expect.arrayContaining([`sentry-trace_id=${TRACE_ID}`, 'sentry-sample_rand=0.5', 'sentry-sample_rate=1', 'vendor=abc;ttl=5']));
    // isometer's OpenTelemetry entry goes in front: the caller kept it at rate 1 (th:0) with sample_rand 0.5.
    expect(downstream.header('tracestate')).toEqual(['ot=th:0;rv:7fffffffffffff,congo=t61rcWkgMzE,rojo=00f067aa0ba902b7']);
    expect(downstream.header('traceparent')[0]).toBe(`00-${sentryTrace.slice(0, 49)}-01`);
  });

  it('sends headers only to URLs matching tracePropagationTargets, and still times the others', async () => {
    const allowed = await startSink();
    const other = await startSink();
    start({ tracePropagationTargets: [allowed.url, /\/never$/] });
    await startSpan({ name: 'fan-out' }, async () => {
      const first = http.get(`${allowed.url}/x`);
      const second = http.get(`${other.url}/x`);
      await Promise.all([completion(first), completion(second), closed(first), closed(second)]);
    });
    await flush();

    expect(allowed.header('sentry-trace')).toHaveLength(1);
    expect(allowed.header('baggage')).toHaveLength(1);
    expect(other.header('sentry-trace')).toEqual([]);
    expect(other.header('baggage')).toEqual([]);
    expect(clientSpans()).toHaveLength(2);
  });

  it('leaves a request alone when the caller already set sentry-trace', async () => {
    start();
    const sink = await startSink();
    const own = `${TRACE_ID}-${PARENT_SPAN_ID}-0`;
    await startSpan({ name: 'manual' }, async () => {
      const request = http.get(`${sink.url}/x`, { headers: { 'Sentry-Trace': own, baggage: 'mine=1' } });
      await completion(request);
    });

    expect(sink.header('sentry-trace')).toEqual([own]);
    expect(sink.header('baggage')).toEqual(['mine=1']);
  });

  it("merges the caller's baggage into one header, keeping all of its members, its sentry-* ones included", async () => {
    start();
    const sink = await startSink();
    await startSpan({ name: 'merge' }, async () => {
      const request = http.get(`${sink.url}/x`, { headers: { baggage: 'own=1,sentry-release=bogus,sentry-trace_id=ffffffffffffffffffffffffffffffff' } });
      await completion(request);
    });

    const values = sink.header('baggage');
    expect(values).toHaveLength(1);
    const members = values[0].split(',');
    // Never dropped, never rewritten, and no second dynamic sampling context beside the app's.
    expect(members).toEqual(['own=1', 'sentry-release=bogus', 'sentry-trace_id=ffffffffffffffffffffffffffffffff']);
  });

  it('traces https.get and https.request', async () => {
    start();
    const sink = await startSink(true);
    await startSpan({ name: 'secure' }, async () => {
      const viaGet = https.get(`${sink.url}/g`, { ca: TLS_CERT });
      const viaRequest = https.request(`${sink.url}/r`, { method: 'PUT', ca: TLS_CERT });
      viaRequest.end('x');
      await Promise.all([completion(viaGet), completion(viaRequest), closed(viaGet), closed(viaRequest)]);
    });
    await flush();

    expect(sink.header('sentry-trace', 0)).toHaveLength(1);
    expect(sink.header('sentry-trace', 1)).toHaveLength(1);
    expect(
      clientSpans()
        .map((span) => span.name)
        .sort(),
    ).toEqual([`GET ${sink.url}/g`, `PUT ${sink.url}/r`]);
  });

  it('reaches ESM importers of node:http through syncBuiltinESMExports', async () => {
    start();
    const sink = await startSink();
    await startSpan({ name: 'esm' }, async () => {
      const request = namedRequest(`${sink.url}/esm`);
      request.end();
      await completion(request);
    });

    expect(namedRequest).not.toBe(plainRequest);
    expect(sink.header('sentry-trace')).toHaveLength(1);
  });

  it('propagates the continued or process trace outside any span, without making a span', async () => {
    start();
    const sink = await startSink();
    const request = http.get(`${sink.url}/bare`);
    await Promise.all([completion(request), closed(request)]);
    await flush();

    expect(sink.header('sentry-trace')[0]).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}$/);
    expect(clientSpans()).toEqual([]);
  });

  it('adds nothing inside suppressTracing', async () => {
    start();
    const sink = await startSink();
    await startSpan({ name: 'export' }, () =>
      suppressTracing(async () => {
        const request = http.get(`${sink.url}/collector`);
        await Promise.all([completion(request), closed(request)]);
      }),
    );
    await flush();

    expect(sink.header('sentry-trace')).toEqual([]);
    expect(clientSpans()).toEqual([]);
  });

  it('leaves injection to an initialised Sentry SDK, and takes it back once that client is closed', async () => {
    start();
    const sink = await startSink();
    const options = { enabled: true };
    const client = { getOptions: () => options };
    (globalThis as { __SENTRY__?: unknown }).__SENTRY__ = { version: '11.12.0', '11.12.0': { defaultCurrentScope: { getClient: () => client } } };
    expect(isSentryActive()).toBe(true);
    await startSpan({ name: 'with sentry' }, async () => {
      await completion(http.get(`${sink.url}/a`));
      options.enabled = false;
      await completion(http.get(`${sink.url}/b`));
    });

    expect(sink.header('sentry-trace', 0)).toEqual([]);
    expect(isSentryActive()).toBe(false);
    expect(sink.header('sentry-trace', 1)).toHaveLength(1);
  });

  it('marks the span failed when no response comes', async () => {
    start();
    const sink = await startSink();
    const server = servers.pop() as http.Server;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await startSpan({ name: 'down' }, async () => {
      const request = http.get(`${sink.url}/gone`);
      await Promise.all([completion(request), closed(request)]);
    });
    await flush();

    expect(clientSpans()[0]).toMatchObject({ status: 'error', statusMessage: 'no response' });
  });

  it('does not throw when the head is already written (raw header array), and sends the request unchanged', async () => {
    start();
    const sink = await startSink();
    const status = await startSpan({ name: 'raw' }, () => {
      const request = http.request(`${sink.url}/raw`, { headers: ['Host', '127.0.0.1', 'x-raw', '1'] as unknown as http.OutgoingHttpHeaders });
      request.end();
      return completion(request);
    });

    expect(status).toBe(200);
    expect(sink.header('x-raw')).toEqual(['1']);
    expect(sink.header('sentry-trace')).toEqual([]);
  });

  it('installs once: a second installTracing adds no second header or span', async () => {
    start();
    const sink = await startSink();
    installTracing(getClient()!);
    await startSpan({ name: 'twice' }, async () => {
      const request = http.get(`${sink.url}/x`);
      await Promise.all([completion(request), closed(request)]);
    });
    await flush();

    expect(sink.header('sentry-trace')).toHaveLength(1);
    expect(clientSpans()).toHaveLength(1);
  });

  it('restores http and https on close(), so later requests carry nothing', async () => {
    start();
    const sink = await startSink();
    expect(http.get).not.toBe(plainGet);
    await close();

    expect(http.request).toBe(plainRequest);
    expect(http.get).toBe(plainGet);
    expect(https.get).toBe(plainHttpsGet);
    expect(namedRequest).toBe(plainRequest);
    await completion(http.get(`${sink.url}/after`));
    expect(sink.header('sentry-trace')).toEqual([]);
  });
});
