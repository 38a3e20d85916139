import { describe, it, expect } from 'vitest';
import type { SpanData } from '../../../../../src/core/trace/span-data';
import { encodeOtlpSpans } from '../../../../../src/core/export/otlp/encode-otlp-spans';
import { toOtlpResource } from '../../../../../src/core/export/otlp/to-otlp-resource';
import { attributeMap, expectSentFieldsSurvive, ExportTraceServiceRequest, protoRoundTrip } from './otlp-proto';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const root: SpanData = {
  traceId: TRACE_ID,
  spanId: '00f067aa0ba902b7',
  name: 'GET /cart',
  op: 'http.server',
  startTimeMs: 1_700_000_000_000.25,
  endTimeMs: 1_700_000_000_120.5,
  status: 'ok',
  attributes: { 'http.route': '/cart' },
  sampled: true,
};
const child: SpanData = {
  traceId: TRACE_ID,
  spanId: 'b7ad6b7169203331',
  parentSpanId: '00f067aa0ba902b7',
  name: 'GET https://payments.test/charge',
  op: 'http.client',
  startTimeMs: 1_700_000_000_010,
  endTimeMs: 1_700_000_000_090.75,
  status: 'error',
  statusMessage: 'upstream 502',
  attributes: { 'http.response.status_code': 502, retried: false },
  sampled: true,
};
const internal: SpanData = { ...child, spanId: 'c7ad6b7169203331', op: undefined, name: 'render', status: 'unset', statusMessage: 'ignored', attributes: {} };

function sendAndDecode(spans: SpanData[]) {
  const wire = JSON.stringify(encodeOtlpSpans(spans, toOtlpResource({ serviceName: 'shop', attributes: {}, sdk: { name: 'isometer', version: '0.1.0' } }), { name: 'isometer', version: '0.1.0' }));
  const decoded = protoRoundTrip(ExportTraceServiceRequest, wire);
  expectSentFieldsSurvive(decoded, JSON.parse(wire));
  return decoded.resourceSpans[0].scopeSpans[0].spans as Array<Record<string, any>>;
}

describe('encodeOtlpSpans', () => {
  it('produces JSON the OTLP ExportTraceServiceRequest definition accepts, every sent field surviving a binary round trip', () => {
    expect(sendAndDecode([root, child, internal])).toHaveLength(3);
  });

  it('keeps trace, span and parent ids as the same 16- and 8-byte values', () => {
    const [decodedRoot, decodedChild] = sendAndDecode([root, child]);
    expect(decodedRoot.traceId).toBe(TRACE_ID);
    expect(decodedRoot.spanId).toBe('00f067aa0ba902b7');
    expect(decodedRoot.parentSpanId).toBe('');
    expect(decodedChild.parentSpanId).toBe('00f067aa0ba902b7');
  });

  it('derives the kind from op and carries op as the sentry.op attribute', () => {
    const [decodedRoot, decodedChild, decodedInternal] = sendAndDecode([root, child, internal]);
    expect([decodedRoot.kind, decodedChild.kind, decodedInternal.kind]).toEqual([2, 3, 1]);
    expect(attributeMap(decodedChild.attributes)).toEqual({ 'http.response.status_code': '502', retried: false, 'sentry.op': 'http.client' });
    expect(attributeMap(decodedInternal.attributes)).toEqual({});
  });

  it('maps status to OK 1 and ERROR 2 (with its message), and unset to 0 without one', () => {
    const [decodedRoot, decodedChild, decodedInternal] = sendAndDecode([root, child, internal]);
    expect(decodedRoot.status).toMatchObject({ code: 1, message: '' });
    expect(decodedChild.status).toMatchObject({ code: 2, message: 'upstream 502' });
    expect(decodedInternal.status).toMatchObject({ code: 0, message: '' });
  });

  it('writes start and end times as nanosecond strings, sub-millisecond parts included', () => {
    const [decodedRoot, decodedChild] = sendAndDecode([root, child]);
    expect(decodedRoot.startTimeUnixNano).toBe('1700000000000250000');
    expect(decodedRoot.endTimeUnixNano).toBe('1700000000120500000');
    expect(decodedChild.endTimeUnixNano).toBe('1700000000090750000');
  });
});
