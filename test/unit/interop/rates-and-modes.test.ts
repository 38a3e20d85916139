import { ROOT_CONTEXT, TraceFlags, defaultTextMapGetter, defaultTextMapSetter, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { SamplingDecision, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { close, flush, getActiveSpan, init, memoryExporter, startSpan, type MemoryExporter } from '../../../src/node/index';
import { startEnvelopeCollector, startSentryPeer } from './support/sentry-peer';

// Both directions, at rates 1, 0 and 0.5, with isometer in each unsampledPropagation mode:
// @sentry/node (a child process) and OpenTelemetry's own W3C propagator and ratio sampler.

const PEER_TIMEOUT_MS = 120_000;
const RATES = [1, 0, 0.5];
const MODES = ['decided', 'deferred'] as const;
const TRACES = 12;
const plainRequest = http.request;

const cleanups: Array<() => Promise<void>> = [];
let memory: MemoryExporter;

afterEach(async () => {
  await close();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listen(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function baggageEntries(header: unknown): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const member of String(header ?? '').split(',')) {
    const [key, value] = member.split('=');
    if (key && value !== undefined) entries[key.trim()] = decodeURIComponent(value.trim());
  }
  return entries;
}

function getText(url: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = plainRequest(url, { headers }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve(text));
    });
    request.on('error', reject);
    request.end();
  });
}

describe.each(MODES)("isometer → @sentry/node at 0.5, isometer in '%s' mode", (mode) => {
  it.each(RATES)('isometer at %d: Sentry follows every decision isometer sent, and decides the deferred ones on the same sample_rand', { timeout: PEER_TIMEOUT_MS }, async (rate) => {
    memory = memoryExporter();
    init({ exporters: [memory], flushIntervalMs: 0, tracesSampleRate: rate, unsampledPropagation: mode });
    const collector = await startEnvelopeCollector();
    cleanups.push(() => collector.close());
    const downstream: http.IncomingHttpHeaders[] = [];
    const sinkUrl = await listen((request, response) => (downstream.push(request.headers), response.end('ok')));
    const peer = startSentryPeer({ ROLE: 'server', SENTRY_DSN: collector.dsn, DOWNSTREAM_URL: sinkUrl, SAMPLE_RATE: '0.5' });
    cleanups.push(() => peer.stop());
    const { port } = await peer.next('ready');

    const roots = [];
    for (let index = 0; index < TRACES; index++) {
      roots.push(await startSpan({ name: `trace ${index}`, parentSpan: null }, async (span) => (await (await fetch(`http://127.0.0.1:${port}/work`)).text(), span)));
    }
    await peer.stop();

    const kept = new Set(collector.transactions().map((transaction) => transaction.event.contexts.trace.trace_id));
    roots.forEach((root, index) => {
      const sampleRand = root.propagation.sampleRand;
      const sentryKept = root.sampled === true || (mode === 'deferred' && sampleRand < 0.5);
      expect(kept.has(root.traceId)).toBe(sentryKept);
      // What Sentry passes on: isometer's trace and sample_rand, and the decision made.
      const headers = downstream[index];
      expect(headers['sentry-trace']).toMatch(new RegExp(`^${root.traceId}-[0-9a-f]{16}-${sentryKept ? 1 : 0}$`));
      const entries = baggageEntries(headers.baggage);
      expect(entries).toMatchObject({ 'sentry-trace_id': root.traceId, 'sentry-sample_rand': String(sampleRand) });
      // Sentry forwards the dynamic sampling context it received as is: with no decision in it
      // when isometer deferred (the flag of sentry-trace carries Sentry's own).
      if (mode === 'decided' || root.sampled) expect(entries['sentry-sampled']).toBe(String(sentryKept));
      else expect(entries).not.toHaveProperty('sentry-sampled');
    });
  });
});

describe.each(MODES)("@sentry/node → isometer at 0.5, isometer in '%s' mode", (mode) => {
  it.each(RATES)("Sentry at %d: isometer follows each of Sentry's decisions", { timeout: PEER_TIMEOUT_MS }, async (rate) => {
    memory = memoryExporter();
    init({ exporters: [memory], flushIntervalMs: 0, tracesSampleRate: 0.5, unsampledPropagation: mode });
    const seen: Array<{ traceId?: string; sampled?: boolean }> = [];
    const url = await listen((_request, response) => {
      const span = getActiveSpan();
      seen.push({ traceId: span?.traceId, sampled: span?.sampled });
      response.end('ok');
    });
    const collector = await startEnvelopeCollector();
    cleanups.push(() => collector.close());
    const peer = startSentryPeer({ ROLE: 'client', SENTRY_DSN: collector.dsn, SAMPLE_RATE: String(rate) });
    cleanups.push(() => peer.stop());
    await peer.next('ready');
    const calls = [];
    for (let index = 0; index < TRACES; index++) {
      peer.send({ type: 'call', url });
      calls.push(await peer.next('called'));
    }
    await peer.stop();
    await flush();

    // Each call makes two requests (fetch, then http.get) in its root span.
    expect(seen).toHaveLength(2 * TRACES);
    calls.forEach((call, index) => {
      for (const request of seen.slice(2 * index, 2 * index + 2)) expect(request).toEqual({ traceId: call.traceId, sampled: call.sampled });
      if (rate !== 0.5) expect(call.sampled).toBe(rate === 1);
    });
    for (const call of calls) expect(memory.spans.some((span) => span.traceId === call.traceId)).toBe(calls.some((other) => other.traceId === call.traceId && other.sampled));
  });
});

describe.each(MODES)("OpenTelemetry's propagator and ratio sampler, isometer in '%s' mode", (mode) => {
  const propagator = new W3CTraceContextPropagator();

  it.each(RATES)('isometer at %d → OpenTelemetry reads the trace, and a sampled flag exactly when isometer kept it', async (rate) => {
    const received: http.IncomingHttpHeaders[] = [];
    const url = await listen((request, response) => (received.push(request.headers), response.end('ok')));
    memory = memoryExporter();
    init({ exporters: [memory], flushIntervalMs: 0, tracesSampleRate: rate, propagateTraceparent: true, unsampledPropagation: mode });
    for (let index = 0; index < TRACES; index++) {
      const root = await startSpan({ name: 'to otel', parentSpan: null }, async (span) => (await (await fetch(`${url}/otel`)).text(), span));
      const extracted = trace.getSpanContext(propagator.extract(ROOT_CONTEXT, received[index], defaultTextMapGetter))!;
      expect(extracted).toMatchObject({ traceId: root.traceId, isRemote: true });
      expect((extracted.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED).toBe(root.sampled === true);
      // OpenTelemetry keeps isometer's consistent-sampling entry in its TraceState.
      expect(extracted.traceState?.get('ot')).toMatch(/(^|;)rv:[0-9a-f]{14}($|;)/);
    }
  });

  it.each(RATES)('OpenTelemetry at %d → isometer follows the ratio sampler decision', async (rate) => {
    memory = memoryExporter();
    init({ exporters: [memory], flushIntervalMs: 0, tracesSampleRate: 0.5, propagateTraceparent: true, unsampledPropagation: mode });
    const url = await listen((_request, response) => response.end(JSON.stringify({ traceId: getActiveSpan()?.traceId, sampled: getActiveSpan()?.sampled })));
    const sampler = new TraceIdRatioBasedSampler(rate);
    const decisions = new Set<boolean>();
    for (let index = 0; index < TRACES; index++) {
      const traceId = [...crypto.getRandomValues(new Uint8Array(16))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
      const sampled = sampler.shouldSample(ROOT_CONTEXT, traceId).decision === SamplingDecision.RECORD_AND_SAMPLED;
      decisions.add(sampled);
      const headers: Record<string, string> = {};
      const context = trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: '6e0c63257de34c92', traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE, isRemote: false });
      propagator.inject(context, headers, defaultTextMapSetter);
      expect(JSON.parse(await getText(`${url}/from-otel`, headers))).toEqual({ traceId, sampled });
    }
    if (rate !== 0.5) expect([...decisions]).toEqual([rate === 1]);
  });
});
