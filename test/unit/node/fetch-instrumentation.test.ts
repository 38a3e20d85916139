import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomnessForSampleRand } from '../../../src/core/trace/codecs/consistent-sampling';
import { afterEach, describe, expect, it } from 'vitest';
import { close, continueTrace, flush, getClient, init, memoryExporter, startSpan, type IsometerOptions, type MemoryExporter } from '../../../src/node/index';
import { instrumentFetch } from '../../../src/node/fetch-instrumentation';
import { suppressTracing } from '../../../src/core/trace/suppress-tracing';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN_ID = '00f067aa0ba902b7';

interface Sink {
  url: string;
  /** The values of one header (lowercase name) in the last request, in order. */
  header(name: string): string[];
  count(): number;
}

const servers: http.Server[] = [];
let memory: MemoryExporter;

function start(options: IsometerOptions = {}): void {
  memory = memoryExporter();
  init({ exporters: [memory], flushIntervalMs: 0, tracesSampleRate: 1, ...options });
}

afterEach(async () => {
  await close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function startSink(status = 200): Promise<Sink> {
  const received: string[][] = [];
  const server = http.createServer((request, response) => {
    received.push(request.rawHeaders);
    response.statusCode = status;
    response.end('ok');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => received.length,
    header(name) {
      const raw = received[received.length - 1] ?? [];
      const values: string[] = [];
      for (let at = 0; at < raw.length; at += 2) if (raw[at].toLowerCase() === name) values.push(raw[at + 1]);
      return values;
    },
  };
}

/** Fetches and reads the whole body, so undici has reported the end of the request. */
async function fetchText(url: string, init?: RequestInit): Promise<number> {
  const response = await fetch(url, init);
  await response.text();
  return response.status;
}

function clientSpans() {
  return memory.spans.filter((span) => span.op === 'http.client');
}

describe('fetch instrumentation', () => {
  it('gives fetch inside a span its own http.client child span and sends that span as the parent', async () => {
    start();
    const sink = await startSink();
    const rootSpanId = await startSpan({ name: 'checkout' }, async (root) => {
      await fetchText(`${sink.url}/items?page=2`, { method: 'POST', body: 'x' });
      return root.spanId;
    });
    await flush();

    const [span] = clientSpans();
    expect(span).toMatchObject({ name: `POST ${sink.url}/items`, parentSpanId: rootSpanId, status: 'unset' });
    expect(span.attributes).toMatchObject({ 'http.request.method': 'POST', 'url.full': `${sink.url}/items`, 'http.response.status_code': 200 });
    expect(sink.header('sentry-trace')).toEqual([`${span.traceId}-${span.spanId}-1`]);
    expect(sink.header('baggage')[0]).toContain(`sentry-trace_id=${span.traceId}`);
    expect(sink.header('traceparent')).toEqual([]);
  });

  it('adds traceparent only when propagateTraceparent is on', async () => {
    start({ propagateTraceparent: true, tracesSampleRate: 0 });
    const sink = await startSink();
    await startSpan({ name: 'job' }, () => fetchText(`${sink.url}/a`));

    const [sentryTrace] = sink.header('sentry-trace');
    expect(sentryTrace).toMatch(/-0$/);
    expect(sink.header('traceparent')).toEqual([`00-${sentryTrace.slice(0, 49)}-02`]);
  });

  it('continues a trace taken from incoming headers, keeping a third-party baggage entry and the tracestate', async () => {
    start({ propagateTraceparent: true });
    const sink = await startSink();
    const headers = {
      'sentry-trace': `${TRACE_ID}-${PARENT_SPAN_ID}-1`,
      baggage: `sentry-trace_id=${TRACE_ID},sentry-sample_rand=0.123456,other=value`,
      traceparent: `00-${TRACE_ID}-${PARENT_SPAN_ID}-01`,
      tracestate: 'congo=t61rcWkgMzE',
    };
    await continueTrace(headers, () => startSpan({ name: 'handle' }, () => fetchText(`${sink.url}/next`)));

    expect(sink.header('sentry-trace')[0]).toMatch(new RegExp(`^${TRACE_ID}-[0-9a-f]{16}-1$`));
    expect(sink.header('baggage')[0].split(',')).toEqual(expect.arrayContaining([`sentry-trace_id=${TRACE_ID}`, 'sentry-sample_rand=0.123456', 'other=value']));
    // isometer's OpenTelemetry entry goes in front (sample_rand 0.123456, no known rate so no th).
    expect(sink.header('tracestate')).toEqual([`ot=rv:${randomnessForSampleRand(0.123456)},congo=t61rcWkgMzE`]);
  });

  it('sends headers only to URLs matching tracePropagationTargets', async () => {
    const allowed = await startSink();
    const other = await startSink();
    start({ tracePropagationTargets: [allowed.url] });
    await startSpan({ name: 'fan-out' }, () => Promise.all([fetchText(`${allowed.url}/x`), fetchText(`${other.url}/x`)]));
    await flush();

    expect(allowed.header('sentry-trace')).toHaveLength(1);
    expect(other.header('sentry-trace')).toEqual([]);
    expect(other.header('baggage')).toEqual([]);
    expect(clientSpans()).toHaveLength(2);
  });

  it('leaves a request alone when the caller already set sentry-trace', async () => {
    start();
    const sink = await startSink();
    const own = `${TRACE_ID}-${PARENT_SPAN_ID}-0`;
    await startSpan({ name: 'manual' }, () => fetchText(`${sink.url}/x`, { headers: { 'sentry-trace': own, baggage: 'mine=1' } }));

    expect(sink.header('sentry-trace')).toEqual([own]);
    expect(sink.header('baggage')).toEqual(['mine=1']);
  });

  it("merges the caller's baggage into one header, keeping all of its members, its sentry-* ones included", async () => {
    start();
    const sink = await startSink();
    await startSpan({ name: 'merge' }, () => fetchText(`${sink.url}/x`, { headers: { baggage: 'own=1,sentry-release=bogus' } }));

    const values = sink.header('baggage');
    expect(values).toHaveLength(1);
    const [traceId] = sink.header('sentry-trace')[0].split('-');
    const members = values[0].split(',');
    // The app's dynamic sampling context stays, alone: one per request.
    expect(members.slice(0, 2)).toEqual(['own=1', 'sentry-release=bogus']);
    expect(members).not.toContain(`sentry-trace_id=${traceId}`);

    await startSpan({ name: 'merge' }, () => fetchText(`${sink.url}/y`, { headers: { baggage: 'own=2' } }));
    const merged = sink.header('baggage')[0].split(',');
    expect(merged[0]).toBe('own=2');
    expect(merged).toContain(`sentry-trace_id=${sink.header('sentry-trace')[0].split('-')[0]}`);
  });

  it('marks the span failed for a 5xx response and for a refused connection', async () => {
    start();
    const failing = await startSink(502);
    const refused = await startSink();
    const server = servers.pop() as http.Server;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await startSpan({ name: 'errors' }, async () => {
      await fetchText(`${failing.url}/bad`);
      await fetch(`${refused.url}/gone`).catch(() => undefined);
    });
    await flush();

    const byName = new Map(clientSpans().map((span) => [span.name, span]));
    expect(byName.get(`GET ${failing.url}/bad`)).toMatchObject({ status: 'error', statusMessage: 'HTTP 502' });
    expect(byName.get(`GET ${refused.url}/gone`)).toMatchObject({ status: 'error' });
  });

  it('adds nothing inside suppressTracing', async () => {
    start();
    const sink = await startSink();
    await startSpan({ name: 'export' }, () => suppressTracing(() => fetchText(`${sink.url}/collector`)));
    await flush();

    expect(sink.count()).toBe(1);
    expect(sink.header('sentry-trace')).toEqual([]);
    expect(clientSpans()).toEqual([]);
  });

  it('subscribes once: a second instrumentFetch adds no second header', async () => {
    start();
    const sink = await startSink();
    const undoSecond = instrumentFetch();
    await startSpan({ name: 'twice' }, () => fetchText(`${sink.url}/x`));
    undoSecond();

    expect(getClient()?.isActive).toBe(true);
    expect(sink.header('sentry-trace')).toHaveLength(1);
    expect(sink.header('baggage')).toHaveLength(1);
  });

  it('unsubscribes on close(), so later requests carry nothing', async () => {
    start();
    const sink = await startSink();
    await close();
    await fetchText(`${sink.url}/after`);

    expect(sink.count()).toBe(1);
    expect(sink.header('sentry-trace')).toEqual([]);
  });
});
