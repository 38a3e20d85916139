import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { close, flush, getActiveSpan, init, memoryExporter, metrics, type MemoryExporter } from '../../../src/node/index';
import { startEnvelopeCollector, startSentryPeer } from './support/sentry-peer';

// Starting @sentry/node in a child process takes a while on a busy machine; nothing here measures speed.
const PEER_TIMEOUT_MS = 60_000;

const cleanups: Array<() => Promise<void>> = [];
let memory: MemoryExporter;

afterEach(async () => {
  await close();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What the isometer server saw for one request. */
interface Seen {
  path: string;
  sentryTrace: string | undefined;
  traceId?: string;
  spanId?: string;
  sampled?: boolean;
}

/** An http server in this process, traced by isometer's server instrumentation. */
async function startIsometerServer(): Promise<{ url: string; seen: Seen[]; closed: Array<Promise<void>> }> {
  const seen: Seen[] = [];
  const closed: Array<Promise<void>> = [];
  const server = http.createServer(async (request, response) => {
    closed.push(new Promise((resolve) => response.once('close', () => resolve())));
    await new Promise((resolve) => setImmediate(resolve));
    const span = getActiveSpan();
    metrics.count('orders.viewed', 1, { attributes: { path: request.url ?? '' } });
    seen.push({ path: request.url ?? '', sentryTrace: request.headers['sentry-trace'] as string | undefined, traceId: span?.traceId, spanId: span?.spanId, sampled: span?.sampled });
    response.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, closed };
}

async function callFromSentry(sampleRate: string, url: string) {
  const collector = await startEnvelopeCollector();
  cleanups.push(() => collector.close());
  const peer = startSentryPeer({ ROLE: 'client', SENTRY_DSN: collector.dsn, SAMPLE_RATE: sampleRate });
  cleanups.push(() => peer.stop());
  await peer.next('ready');
  peer.send({ type: 'call', url });
  const called = await Promise.race([peer.next('called'), peer.next('failed').then((failure) => Promise.reject(new Error(failure.message)))]);
  await peer.stop();
  return { called, collector };
}

describe('isometer continues a trace started by @sentry/node', () => {
  it('sampled: the spans of requests Sentry made with fetch and http.get keep its trace, parent spans and sample_rand', { timeout: PEER_TIMEOUT_MS }, async () => {
    memory = memoryExporter();
    init({ exporters: [memory], flushIntervalMs: 0, tracesSampleRate: 0 });
    const server = await startIsometerServer();
    const { called, collector } = await callFromSentry('1', server.url);
    await Promise.all(server.closed);
    await flush();

    expect(called.sampled).toBe(true);
    const [transaction] = collector.transactions();
    expect(transaction.event.contexts.trace).toMatchObject({ trace_id: called.traceId, span_id: called.spanId });
    const sentryClientSpans = new Map<string, string>(
      transaction.event.spans.filter((span: { op?: string }) => span.op === 'http.client').map((span: { span_id: string; description: string }) => [span.span_id, span.description]),
    );

    // The loopback collector is an http server in this process too: its own spans are left out.
    const serverSpans = memory.spans.filter((span) => span.op === 'http.server' && span.name.startsWith('GET /via-'));
    expect(serverSpans.map((span) => span.name).sort()).toEqual(['GET /via-fetch', 'GET /via-http']);
    for (const span of serverSpans) {
      expect(span.traceId).toBe(called.traceId);
      expect(span.sampled).toBe(true);
      expect(span.sampleRand).toBe(Number(called.sampleRand));
      expect(sentryClientSpans.get(span.parentSpanId!)).toContain(span.name.slice(4));
    }
    for (const request of server.seen) expect(request.sentryTrace).toBe(`${called.traceId}-${memory.spans.find((span) => span.spanId === request.spanId)!.parentSpanId}-1`);
    const [viewed] = memory.find('orders.viewed');
    expect(viewed.exemplars.every((exemplar) => exemplar.traceId === called.traceId)).toBe(true);
  });

  it("unsampled: isometer follows Sentry's negative decision even at tracesSampleRate 1", { timeout: PEER_TIMEOUT_MS }, async () => {
    memory = memoryExporter();
    init({ exporters: [memory], flushIntervalMs: 0, tracesSampleRate: 1 });
    const server = await startIsometerServer();
    const { called, collector } = await callFromSentry('0', server.url);
    await Promise.all(server.closed);
    await flush();

    expect(called.sampled).toBe(false);
    expect(collector.transactions()).toEqual([]);
    expect(server.seen).toHaveLength(2);
    for (const request of server.seen) {
      expect(request.sentryTrace).toMatch(new RegExp(`^${called.traceId}-[0-9a-f]{16}-0$`));
      expect(request).toMatchObject({ traceId: called.traceId, sampled: false });
    }
    expect(memory.spans.filter((span) => span.traceId === called.traceId)).toEqual([]);
  });
});
