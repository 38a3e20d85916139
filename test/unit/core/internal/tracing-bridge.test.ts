import * as Sentry from '@sentry/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, flush, getTraceHeaders, init, memoryExporter, metrics, startSpan } from '../../../../src/node/index';
import { startEnvelopeServer, type ReceivedEnvelope } from '../../../support/envelope-server';

// @sentry/node patches modules in this process; vitest runs each test file in its own process.
let server: Awaited<ReturnType<typeof startEnvelopeServer>>;
const memory = memoryExporter();

/** A span as Sentry 11 streams it (envelope item type `span`, content type span.v2+json). */
interface StreamedSpan {
  name: string;
  span_id: string;
  parent_span_id?: string;
  trace_id: string;
  is_segment: boolean;
  status: string;
  attributes: Record<string, { value: unknown }>;
}

function streamedSpans(envelopes: ReceivedEnvelope[]): StreamedSpan[] {
  return envelopes.flatMap((envelope) => envelope.items.filter(([header]) => header.type === 'span').flatMap(([, payload]) => (payload as { items: StreamedSpan[] }).items));
}

describe('with Sentry owning tracing (init({ sentry }))', () => {
  beforeAll(async () => {
    server = await startEnvelopeServer();
    Sentry.init({
      dsn: server.dsn,
      defaultIntegrations: false,
      tracesSampler: ({ name }) => (name === 'health check' ? 0 : 1),
    });
    init({ sentry: Sentry, exporters: [memory], flushIntervalMs: 0 });
  });

  afterAll(async () => {
    await close();
    await Sentry.close(2000);
    await server.close();
  });

  it('makes isometer spans Sentry spans: same ids, same parents, one trace', async () => {
    const ids = await startSpan({ name: 'checkout', op: 'task' }, async (root) => {
      const child = await startSpan({ name: 'charge card', op: 'db' }, async (span) => {
        metrics.count('payment.attempt');
        return { spanId: span.spanId, headers: getTraceHeaders() };
      });
      return { traceId: root.traceId, rootSpanId: root.spanId, ...child };
    });
    await Sentry.flush(2000);
    await server.waitFor((all) => streamedSpans(all).some((span) => span.name === 'checkout'));
    const spans = streamedSpans(server.envelopes);
    const root = spans.find((span) => span.name === 'checkout')!;
    const child = spans.find((span) => span.name === 'charge card')!;
    expect(root).toMatchObject({ trace_id: ids.traceId, span_id: ids.rootSpanId, is_segment: true });
    expect(root.attributes['sentry.op'].value).toBe('task');
    expect(child).toMatchObject({ trace_id: ids.traceId, span_id: ids.spanId, parent_span_id: ids.rootSpanId, is_segment: false });
    expect(child.attributes['sentry.op'].value).toBe('db');
    // Headers come from Sentry and name the active (child) span.
    expect(ids.headers['sentry-trace']).toBe(`${ids.traceId}-${ids.spanId}-1`);
    expect(ids.headers.baggage).toContain(`sentry-trace_id=${ids.traceId}`);

    await flush();
    const [point] = memory.find('payment.attempt');
    expect(point.exemplars[0]).toMatchObject({ traceId: ids.traceId, spanId: ids.spanId, sampled: true });
  });

  it("follows Sentry's sampling decision", () => {
    const sampled = startSpan({ name: 'health check' }, (span) => span.sampled);
    expect(sampled).toBe(false);
    expect(startSpan({ name: 'kept' }, (span) => span.sampled)).toBe(true);
  });

  it('links metrics recorded inside spans Sentry started itself', async () => {
    const ids = Sentry.startSpan({ name: 'sentry-made' }, (span) => {
      metrics.count('inside.sentry.span');
      return span.spanContext();
    });
    await flush();
    const [point] = memory.find('inside.sentry.span');
    expect(point.exemplars[0]).toMatchObject({ traceId: ids.traceId, spanId: ids.spanId });
  });

  it('passes the user error through unchanged and marks the Sentry span failed', async () => {
    const failure = new TypeError('card declined');
    await expect(startSpan({ name: 'pay' }, async () => Promise.reject(failure))).rejects.toBe(failure);
    await Sentry.flush(2000);
    await server.waitFor((all) => streamedSpans(all).some((span) => span.name === 'pay'));
    const pay = streamedSpans(server.envelopes).find((span) => span.name === 'pay')!;
    expect(pay.status).toBe('error');
    expect(pay.attributes['sentry.status.message'].value).toBe('card declined');
  });
});
