import { afterEach, describe, expect, it } from 'vitest';
import { context, trace } from '@opentelemetry/api';
import { OTLPMetricExporter as OTLPMetricExporterHttp } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OTLPMetricExporterProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as OTLPTraceExporterHttp } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPTraceExporterProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationType, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ExponentialHistogram } from '../../../src/core/metrics/exponential-histogram';
import { percentilesOf } from '../../../src/dev/histogram-math';
import { testViewer } from './viewer-fixture';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const ENCODINGS = [
  { name: 'protobuf', Traces: OTLPTraceExporterProto, Metrics: OTLPMetricExporterProto },
  { name: 'JSON', Traces: OTLPTraceExporterHttp, Metrics: OTLPMetricExporterHttp },
] as const;

async function setup(encoding: (typeof ENCODINGS)[number]) {
  const viewer = await testViewer();
  // What an app's NodeSDK sends: the default resource (telemetry.sdk.*) plus its service name.
  const resource = defaultResource().merge(resourceFromAttributes({ 'service.name': `worker-${encoding.name}` }));
  const tracer = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new encoding.Traces({ url: `${viewer.url}/v1/traces` }))] });
  // OpenTelemetry's defaults: cumulative temporality; exponential histograms only where a view asks.
  const meter = new MeterProvider({
    resource,
    readers: [new PeriodicExportingMetricReader({ exporter: new encoding.Metrics({ url: `${viewer.url}/v1/metrics` }), exportIntervalMillis: 3_600_000 })],
    views: [{ instrumentName: 'job.duration', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  cleanups.push(
    () => viewer.close(),
    () => tracer.shutdown(),
    () => meter.shutdown(),
  );
  return { viewer, tracer, meter };
}

describe.each(ENCODINGS)('isometer dev, fed by the OpenTelemetry JS SDK over OTLP/HTTP $name', (encoding) => {
  it('shows its spans as one tree with their service, SDK and decision', async () => {
    const { viewer, tracer } = await setup(encoding);
    const otel = tracer.getTracer('jobs');
    const parent = otel.startSpan('process batch', { attributes: { 'job.queue': 'mail' } });
    const child = otel.startSpan('send mail', {}, trace.setSpan(context.active(), parent));
    child.setStatus({ code: 2, message: 'smtp refused' });
    child.end();
    parent.end();
    await tracer.forceFlush();

    const { traceId } = parent.spanContext();
    const state = await viewer.state();
    expect(state.received.rejected).toEqual({});
    const stored = state.traces.find((candidate) => candidate.traceId === traceId)!;
    expect(stored.sdks).toEqual(['opentelemetry']);
    expect(stored.spans.map((span) => [span.name, span.depth, span.service, span.sdk, span.sampled, span.status])).toEqual([
      ['process batch', 0, `worker-${encoding.name}`, 'opentelemetry', true, 'unset'],
      ['send mail', 1, `worker-${encoding.name}`, 'opentelemetry', true, 'error'],
    ]);
    expect(stored.spans[0].attributes['job.queue']).toBe('mail');
  });

  it('turns cumulative sums and exponential histograms into exact deltas', async () => {
    const { viewer, meter } = await setup(encoding);
    const jobs = meter.getMeter('jobs').createCounter('jobs.done');
    const durations = meter.getMeter('jobs').createHistogram('job.duration', { unit: 'ms' });
    const legacy = meter.getMeter('jobs').createHistogram('legacy.duration', { unit: 'ms' });
    jobs.add(3, { queue: 'mail' });
    for (let value = 1; value <= 50; value++) durations.record(value);
    legacy.record(7);
    await meter.forceFlush();
    jobs.add(2, { queue: 'mail' });
    for (let value = 51; value <= 100; value++) durations.record(value);
    legacy.record(900);
    await meter.forceFlush();

    const state = await viewer.state();
    expect(state.received.rejected).toEqual({});
    expect(state.charts.counters.find((chart) => chart.name === 'jobs.done')!.total).toBe(5);
    const series = state.series.find((entry) => entry.name === 'jobs.done')!;
    expect(series.points!.map((point) => point.sum)).toEqual([3, 2]);
    // 1…100 in two cumulative exports, subtracted and merged bucket by bucket: the same
    // percentiles as one histogram of OpenTelemetry's default size (160 buckets) that saw them all.
    const overall = state.charts.distributions.find((chart) => chart.name === 'job.duration')!.overall;
    expect(overall).toMatchObject({ count: 100, min: 1, max: 100 });
    const reference = new ExponentialHistogram(160);
    for (let value = 1; value <= 100; value++) reference.record(value);
    expect({ p50: overall.p50, p90: overall.p90, p95: overall.p95, p99: overall.p99 }).toEqual(percentilesOf(reference.toData()));
    // Explicit buckets (OpenTelemetry's default histogram) are counted exactly and placed approximately.
    expect(state.charts.distributions.find((chart) => chart.name === 'legacy.duration')!.overall).toMatchObject({ count: 2, max: 900 });
  });
});
