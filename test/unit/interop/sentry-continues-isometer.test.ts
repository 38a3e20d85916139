import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { close, flush, init, memoryExporter, startSpan, type MemoryExporter } from '../../../src/node/index';
import { startEnvelopeCollector, startSentryPeer, type EnvelopeCollector, type SentryPeer } from './support/sentry-peer';

// Starting @sentry/node in a child process takes a while on a busy machine; nothing here measures speed.
const PEER_TIMEOUT_MS = 60_000;

const cleanups: Array<() => Promise<void>> = [];
let memory: MemoryExporter;

afterEach(async () => {
  await close();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Keeps the headers of every request; Sentry's server calls it, so its own propagation shows. */
async function startSink(): Promise<{ url: string; requests: http.IncomingHttpHeaders[] }> {
  const requests: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.headers);
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
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/downstream`, requests };
}

/** A @sentry/node server (child process) reporting to a loopback collector, calling the sink on each request. */
async function startSentryServer(): Promise<{ collector: EnvelopeCollector; peer: SentryPeer; url: string; sink: Awaited<ReturnType<typeof startSink>> }> {
  const collector = await startEnvelopeCollector();
  cleanups.push(() => collector.close());
  const sink = await startSink();
  const peer = startSentryPeer({ ROLE: 'server', SENTRY_DSN: collector.dsn, DOWNSTREAM_URL: sink.url, SAMPLE_RATE: '1' });
  cleanups.push(() => peer.stop());
  const ready = await peer.next('ready');
  return { collector, peer, sink, url: `http://127.0.0.1:${ready.port}` };
}

function baggageEntries(header: string | string[] | undefined): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const member of String(header ?? '').split(',')) {
    const [key, value] = member.split('=');
    if (key && value !== undefined) entries[key.trim()] = decodeURIComponent(value.trim());
  }
  return entries;
}

describe('a @sentry/node server continues a trace isometer started', () => {
  it("sampled: its transaction has isometer's trace id, isometer's fetch span as parent, and isometer's sample_rand", { timeout: PEER_TIMEOUT_MS }, async () => {
    memory = memoryExporter();
    init({ exporters: [memory], flushIntervalMs: 0, tracesSampleRate: 1, release: 'isometer-web@2.0.0' });
    const { collector, peer, sink, url } = await startSentryServer();

    const root = await startSpan({ name: 'checkout' }, async (span) => {
      const response = await fetch(`${url}/api/cart?id=3`);
      await response.text();
      return span;
    });
    await peer.stop();
    await flush();

    const clientSpan = memory.spans.find((span) => span.op === 'http.client' && span.parentSpanId === root.spanId);
    expect(clientSpan).toBeDefined();
    const sampler = peer.messages.find((message) => message.type === 'sampler');
    expect(sampler).toMatchObject({ parentSampled: true, parentSampleRate: 1 });

    const [transaction] = collector.transactions();
    expect(transaction.event.contexts.trace).toMatchObject({ trace_id: root.traceId, parent_span_id: clientSpan!.spanId, op: 'http.server' });
    expect(transaction.envelope.trace).toMatchObject({
      trace_id: root.traceId,
      sampled: 'true',
      sample_rate: '1',
      sample_rand: String(root.propagation.sampleRand),
      transaction: 'checkout',
      release: 'isometer-web@2.0.0',
    });

    // What Sentry passes on to its own downstream call.
    const downstream = sink.requests[0];
    expect(downstream['sentry-trace']).toMatch(new RegExp(`^${root.traceId}-[0-9a-f]{16}-1$`));
    expect(baggageEntries(downstream.baggage)).toMatchObject({ 'sentry-trace_id': root.traceId, 'sentry-sample_rand': String(root.propagation.sampleRand), 'sentry-sampled': 'true' });
  });

  it('unsampled: Sentry sees parentSampled false, records nothing, and passes the decision and sample_rand on', { timeout: PEER_TIMEOUT_MS }, async () => {
    memory = memoryExporter();
    init({ exporters: [memory], flushIntervalMs: 0, tracesSampleRate: 0 });
    const { collector, peer, sink, url } = await startSentryServer();

    const root = await startSpan({ name: 'browse' }, async (span) => {
      await new Promise<void>((resolve, reject) => {
        const request = http.get(`${url}/api/list`, (response) => {
          response.resume();
          response.on('end', resolve);
        });
        request.on('error', reject);
      });
      return span;
    });
    await peer.stop();

    expect(root.sampled).toBe(false);
    expect(peer.messages.find((message) => message.type === 'sampler')).toMatchObject({ parentSampled: false, parentSampleRate: 0 });
    expect(collector.transactions()).toEqual([]);
    const downstream = sink.requests[0];
    expect(downstream['sentry-trace']).toMatch(new RegExp(`^${root.traceId}-[0-9a-f]{16}-0$`));
    expect(baggageEntries(downstream.baggage)).toMatchObject({ 'sentry-trace_id': root.traceId, 'sentry-sample_rand': String(root.propagation.sampleRand), 'sentry-sampled': 'false' });
  });
});
