import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { testViewer } from './viewer-fixture';
import { ExportMetricsServiceRequest } from '../core/export/otlp/otlp-proto';

let viewer: Awaited<ReturnType<typeof testViewer>>;
beforeAll(async () => {
  viewer = await testViewer({ limits: { maxSeries: 3, maxTraces: 2 } });
});
afterAll(() => viewer.close());

const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) => fetch(`${viewer.url}${path}`, { method: 'POST', body, headers });
const TRACE = 'a'.repeat(32);

function envelope(...items: Array<[Record<string, unknown>, unknown]>): string {
  const lines = [JSON.stringify({ sdk: { name: 'sentry.javascript.node' } })];
  for (const [header, payload] of items) {
    const text = JSON.stringify(payload);
    lines.push(JSON.stringify({ ...header, length: Buffer.byteLength(text) }), text);
  }
  return lines.join('\n');
}

describe('isometer dev with bad input', () => {
  it('answers each kind of bad request with its 4xx, counts it by reason, and keeps serving', async () => {
    expect((await post('/v1/metrics', '{"resourceMetrics": [', { 'content-type': 'application/json' })).status).toBe(400);
    expect((await post('/v1/traces', '[1, 2]', { 'content-type': 'application/json' })).status).toBe(400);
    // A length-delimited field that claims more bytes than the body has.
    expect((await post('/v1/metrics', new Uint8Array([0x0a, 0x7f, 0x01]), { 'content-type': 'application/x-protobuf' })).status).toBe(400);
    expect((await post('/v1/metrics', 'x', { 'content-type': 'text/html' })).status).toBe(415);
    const truncated = envelope([{ type: 'transaction' }, { contexts: { trace: { trace_id: TRACE, span_id: 'b'.repeat(16) } } }]).slice(0, -20);
    expect((await post('/api/0/envelope/', truncated)).status).toBe(400);
    expect((await post('/api/0/envelope/', 'not json\n{}')).status).toBe(400);
    expect((await post('/api/0/envelope/', 'not gzip', { 'content-encoding': 'gzip' })).status).toBe(400);
    // 10 MB, over the 5 MB limit: refused without being kept.
    expect((await post('/v1/traces', new Uint8Array(10 * 1024 * 1024), { 'content-type': 'application/x-protobuf' })).status).toBe(413);
    // A small gzip body that inflates past the limit.
    expect((await post('/v1/metrics', gzipSync(Buffer.alloc(6 * 1024 * 1024, 0x20)), { 'content-type': 'application/json', 'content-encoding': 'gzip' })).status).toBe(413);
    expect((await fetch(`${viewer.url}/v1/metrics`)).status).toBe(405);

    const state = await viewer.state();
    expect(state.received.rejected).toEqual({ invalid_json: 2, invalid_protobuf: 1, unsupported_content_type: 1, invalid_envelope: 2, invalid_encoding: 1, too_large: 2 });
    expect((await fetch(`${viewer.url}/health`)).status).toBe(200);
  });

  it('takes gzipped envelopes and protobuf the published .proto files encode, with CORS for browsers', async () => {
    const preflight = await fetch(`${viewer.url}/api/0/envelope/`, {
      method: 'OPTIONS',
      headers: { origin: 'http://shop.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type');

    const body = envelope([
      { type: 'span' },
      {
        items: [
          {
            trace_id: TRACE,
            span_id: 'c'.repeat(16),
            name: 'GET /',
            start_timestamp: 1,
            end_timestamp: 1.5,
            status: 'ok',
            is_segment: true,
            attributes: { 'sentry.op': { value: 'http.server', type: 'string' } },
          },
        ],
      },
    ]);
    const response = await post('/api/0/envelope/?sentry_key=cart', gzipSync(body), { 'content-encoding': 'gzip' });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.status).toBe(200);

    const request = ExportMetricsServiceRequest.fromObject({
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'billing' } }] },
          scopeMetrics: [{ metrics: [{ name: 'invoices', sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [{ asInt: 4, timeUnixNano: 1_700_000_000_000_000_000 }] } }] }],
        },
      ],
    });
    expect((await post('/v1/metrics', Buffer.from(ExportMetricsServiceRequest.encode(request).finish()), { 'content-type': 'application/x-protobuf' })).status).toBe(200);

    const state = await viewer.state();
    expect(state.traces.find((trace) => trace.traceId === TRACE)!.spans).toEqual([expect.objectContaining({ name: 'GET /', op: 'http.server', service: 'cart', sdk: 'sentry.javascript.node' })]);
    expect(state.series.find((series) => series.name === 'invoices')).toMatchObject({ service: 'billing', total: { sum: 4 } });
  });

  it('keeps memory bounded: past the caps the oldest series and traces go, and are counted', async () => {
    const points = Array.from({ length: 5 }, (_, i) => ({ name: `metric.${i}`, gauge: { dataPoints: [{ asDouble: i }] } }));
    await post('/v1/metrics', JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics: points }] }] }), { 'content-type': 'application/json' });
    const spans = ['1', '2', '3'].map((digit) => ({ traceId: digit.repeat(32), spanId: digit.repeat(16), name: `job ${digit}`, startTimeUnixNano: '1', endTimeUnixNano: '2' }));
    await post('/v1/traces', JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }), { 'content-type': 'application/json' });

    const state = await viewer.state();
    expect(state.sizes).toEqual({ series: 3, traces: 2 });
    expect(state.series.map((series) => series.name).sort()).toEqual(['metric.2', 'metric.3', 'metric.4']);
    expect(state.evicted).toMatchObject({ series: 3, traces: 2 });
    expect(state.traces.map((trace) => trace.traceId).sort()).toEqual(['2'.repeat(32), '3'.repeat(32)]);
  });
});
