import { ROOT_CONTEXT, TraceFlags, defaultTextMapGetter, defaultTextMapSetter, trace, type SpanContext } from '@opentelemetry/api';
import { TraceState, W3CTraceContextPropagator } from '@opentelemetry/core';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { close, flush, getActiveSpan, getTraceHeaders, init, memoryExporter, startSpan, type IsometerOptions, type MemoryExporter } from '../../../src/node/index';

// Taken before init patches anything: OpenTelemetry's headers must arrive exactly as it injected them.
const plainRequest = http.request;

const OTEL_TRACE_ID = 'd4cda95b652f4a1592b449d5929fda1b';
const OTEL_SPAN_ID = '6e0c63257de34c92';

const propagator = new W3CTraceContextPropagator();
const servers: http.Server[] = [];
let memory: MemoryExporter;

function start(options: IsometerOptions): void {
  memory = memoryExporter();
  init({ exporters: [memory], flushIntervalMs: 0, ...options });
}

afterEach(async () => {
  await close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** Headers as OpenTelemetry's W3C propagator writes them for `spanContext`. */
function injectedBy(spanContext: SpanContext): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagator.inject(trace.setSpanContext(ROOT_CONTEXT, spanContext), carrier, defaultTextMapSetter);
  return carrier;
}

/** What OpenTelemetry's W3C propagator reads from `headers`. */
function extractedBy(headers: http.IncomingHttpHeaders): SpanContext | undefined {
  return trace.getSpanContext(propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter));
}

async function listen(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function get(url: string, headers: Record<string, string> = {}): Promise<string> {
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

describe('OpenTelemetry W3C Trace Context interop', () => {
  it('isometer continues a sampled trace injected by W3CTraceContextPropagator, and hands its tracestate on', async () => {
    start({ tracesSampleRate: 0, propagateTraceparent: true });
    const url = await listen((request, response) => {
      const span = getActiveSpan();
      response.end(JSON.stringify({ traceId: span?.traceId, parentSpanId: span?.parentSpanId, sampled: span?.sampled, outgoing: getTraceHeaders() }));
    });
    const headers = injectedBy({ traceId: OTEL_TRACE_ID, spanId: OTEL_SPAN_ID, traceFlags: TraceFlags.SAMPLED, traceState: new TraceState('vendor=opaque,rojo=00f067aa0ba902b7') });
    expect(headers.traceparent).toBe(`00-${OTEL_TRACE_ID}-${OTEL_SPAN_ID}-01`);

    const seen = JSON.parse(await get(`${url}/otel`, headers));

    expect(seen).toMatchObject({ traceId: OTEL_TRACE_ID, parentSpanId: OTEL_SPAN_ID, sampled: true });
    // The vendors' entries pass on in order, behind isometer's OpenTelemetry entry (its randomness).
    expect(seen.outgoing.tracestate).toMatch(/^ot=rv:[0-9a-f]{14},vendor=opaque,rojo=00f067aa0ba902b7$/);
    expect(extractedBy(seen.outgoing)).toMatchObject({ traceId: OTEL_TRACE_ID, traceFlags: TraceFlags.SAMPLED, traceState: expect.anything() });
  });

  it('isometer follows an unsampled OpenTelemetry decision', async () => {
    start({ tracesSampleRate: 1 });
    const url = await listen((request, response) => response.end(JSON.stringify({ traceId: getActiveSpan()?.traceId, sampled: getActiveSpan()?.sampled })));

    const seen = JSON.parse(await get(`${url}/otel`, injectedBy({ traceId: OTEL_TRACE_ID, spanId: OTEL_SPAN_ID, traceFlags: TraceFlags.NONE })));

    expect(seen).toEqual({ traceId: OTEL_TRACE_ID, sampled: false });
  });

  it('W3CTraceContextPropagator extracts what isometer injects with propagateTraceparent, sampled or not', async () => {
    const received: http.IncomingHttpHeaders[] = [];
    const url = await listen((request, response) => {
      received.push(request.headers);
      response.end('ok');
    });
    for (const rate of [1, 0]) {
      start({ tracesSampleRate: rate, propagateTraceparent: true });
      const root = await startSpan({ name: 'otel-peer' }, async (span) => {
        await new Promise<void>((resolve) => http.get(`${url}/peer`, (response) => response.resume().on('end', resolve)));
        return span;
      });
      await flush();
      await close();

      const headers = received[received.length - 1];
      const extracted = extractedBy(headers);
      const sentryParent = String(headers['sentry-trace']).split('-')[1];
      expect(extracted).toMatchObject({ traceId: root.traceId, spanId: sentryParent, isRemote: true });
      expect((extracted!.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED).toBe(rate === 1);
      if (rate === 1) expect(memory.spans.find((span) => span.op === 'http.client')?.spanId).toBe(extracted!.spanId);
    }
  });

  it('without propagateTraceparent isometer sends nothing OpenTelemetry can read', async () => {
    const received: http.IncomingHttpHeaders[] = [];
    const url = await listen((request, response) => {
      received.push(request.headers);
      response.end('ok');
    });
    start({ tracesSampleRate: 1 });
    await startSpan({ name: 'sentry-only' }, () => new Promise<void>((resolve) => http.get(`${url}/peer`, (response) => response.resume().on('end', resolve))));

    expect(received[0]['sentry-trace']).toBeDefined();
    expect(extractedBy(received[0])).toBeUndefined();
  });
});
