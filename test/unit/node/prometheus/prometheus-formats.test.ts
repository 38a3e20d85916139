import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import protobuf from 'protobufjs';
import { ExponentialHistogram } from '../../../../src/core/metrics/exponential-histogram';
import type { Exemplar, MetricPoint } from '../../../../src/core/metrics/types';
import { classicBuckets } from '../../../../src/node/prometheus/classic-buckets';
import { encodePrometheusProtobuf } from '../../../../src/node/prometheus/encode-prometheus-protobuf';
import { nativeHistogram } from '../../../../src/node/prometheus/native-histogram';
import { negotiateFormat } from '../../../../src/node/prometheus/negotiate-format';
import { prometheusFamilies } from '../../../../src/node/prometheus/prometheus-families';
import { prometheusLabels } from '../../../../src/node/prometheus/prometheus-labels';
import { prometheusName } from '../../../../src/node/prometheus/prometheus-name';
import { renderPrometheusText } from '../../../../src/node/prometheus/render-prometheus-text';
import { requirePrometheus } from '../../../support/prometheus-server';
import { logUniform, seededRandom } from '../../../support/seeded-random';

// io.prometheus.client's metrics.proto (prometheus/client_model), the messages the exposition uses.
const METRICS_PROTO = `
syntax = "proto2";
package io.prometheus.client;
message LabelPair { optional string name = 1; optional string value = 2; }
enum MetricType { COUNTER = 0; GAUGE = 1; SUMMARY = 2; UNTYPED = 3; HISTOGRAM = 4; GAUGE_HISTOGRAM = 5; }
message Gauge { optional double value = 1; }
message Counter { optional double value = 1; optional Exemplar exemplar = 2; optional google.protobuf.Timestamp created_timestamp = 3; }
message Quantile { optional double quantile = 1; optional double value = 2; }
message Summary { optional uint64 sample_count = 1; optional double sample_sum = 2; repeated Quantile quantile = 3; optional google.protobuf.Timestamp created_timestamp = 4; }
message Untyped { optional double value = 1; }
message Histogram {
  optional uint64 sample_count = 1; optional double sample_count_float = 4; optional double sample_sum = 2;
  repeated Bucket bucket = 3; optional google.protobuf.Timestamp created_timestamp = 15;
  optional sint32 schema = 5; optional double zero_threshold = 6; optional uint64 zero_count = 7; optional double zero_count_float = 8;
  repeated BucketSpan negative_span = 9; repeated sint64 negative_delta = 10; repeated double negative_count = 11;
  repeated BucketSpan positive_span = 12; repeated sint64 positive_delta = 13; repeated double positive_count = 14;
  repeated Exemplar exemplars = 16;
}
message Bucket { optional uint64 cumulative_count = 1; optional double cumulative_count_float = 4; optional double upper_bound = 2; optional Exemplar exemplar = 3; }
message BucketSpan { optional sint32 offset = 1; optional uint32 length = 2; }
message Exemplar { repeated LabelPair label = 1; optional double value = 2; optional google.protobuf.Timestamp timestamp = 3; }
message Metric { repeated LabelPair label = 1; optional Gauge gauge = 2; optional Counter counter = 3; optional Summary summary = 4; optional Untyped untyped = 5; optional Histogram histogram = 7; optional int64 timestamp_ms = 6; }
message MetricFamily { optional string name = 1; optional string help = 2; optional MetricType type = 3; repeated Metric metric = 4; optional string unit = 5; }
`;
// google/protobuf/timestamp.proto, which metrics.proto imports.
const TIMESTAMP_PROTO = 'syntax = "proto3"; package google.protobuf; message Timestamp { int64 seconds = 1; int32 nanos = 2; }';
const protoRoot = new protobuf.Root();
protobuf.parse(TIMESTAMP_PROTO, protoRoot, { keepCase: true });
protobuf.parse(METRICS_PROTO, protoRoot, { keepCase: true });
const MetricFamily = protoRoot.lookupType('io.prometheus.client.MetricFamily');

const exemplar: Exemplar = { value: 12.5, timestampMs: 1_733_222_400_123, traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', sampled: true };

function points(): MetricPoint[] {
  const histogram = new ExponentialHistogram();
  const random = seededRandom(7);
  for (let i = 0; i < 500; i++) histogram.record(logUniform(random, 1, 1000));
  histogram.record(0);
  const data = histogram.toData();
  const base = { startTimeMs: 0, timeMs: 1000 };
  return [
    { ...base, type: 'counter', name: 'checkout.orders', unit: '', attributes: { 'http.route': '/cart', '1st': 'x' }, exemplars: [exemplar], sum: 42, count: 42 },
    { ...base, type: 'gauge', name: 'cpu.utilization', unit: '1', attributes: { host: 'a"b\\c\nd' }, exemplars: [], last: 0.25, min: 0, max: 1, sum: 1, count: 4 },
    { ...base, type: 'distribution', name: 'db.query', unit: 'millisecond', attributes: {}, exemplars: [exemplar], count: data.count, sum: data.sum, min: data.min, max: data.max, histogram: data },
  ];
}

/** Runs a sliced generator to its end at once. */
function drain<T>(work: Generator<void, T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

const resource = { serviceName: 'checkout-api', attributes: {}, sdk: { name: 'isometer', version: '1.0.0' } };

describe('Prometheus names and labels', () => {
  it.each([
    ['http.server.request.duration', 'distribution', 'second', 'http_server_request_duration_seconds', 'seconds'],
    ['span.duration', 'distribution', 'millisecond', 'span_duration_milliseconds', 'milliseconds'],
    ['checkout.orders', 'counter', '', 'checkout_orders', ''],
    ['requests_total', 'counter', '', 'requests', ''],
    ['cpu.utilization', 'gauge', '1', 'cpu_utilization_ratio', 'ratio'],
    ['cpu.utilization', 'counter', '1', 'cpu_utilization', ''],
    ['network.io', 'counter', 'By', 'network_io_bytes', 'bytes'],
    ['throughput', 'gauge', 'By/s', 'throughput_bytes_per_second', 'bytes_per_second'],
    ['queue.size', 'gauge', '{message}', 'queue_size', ''],
    ['latency_seconds', 'distribution', 'second', 'latency_seconds', 'seconds'],
    ['(lambda).function..executions(#)', 'counter', '', 'lambda_function_executions', ''],
    ['2xx.responses', 'counter', '', '_2xx_responses', ''],
    ['upload', 'distribution', 'widgets', 'upload_widgets', 'widgets'],
  ] as const)('%s (%s, unit %j) → %s', (name, type, unit, family, word) => {
    expect(prometheusName(name, type, unit)).toEqual({ family, unit: word });
  });

  it('sanitises label names, keeps __ and digits out of the front, and joins attributes that collide', () => {
    expect(prometheusLabels({ 'http.route': '/cart', 'http-route': '/pay', '1st': 'a', __name: 'b', le: 'c' }, 'le')).toEqual([
      ['http_route', '/pay;/cart'],
      ['key_1st', 'a'],
      ['key__name', 'b'],
      ['key_le', 'c'],
    ]);
  });
});

describe('histogram conversion', () => {
  it('classic buckets at powers of two count every recorded value exactly', () => {
    const random = seededRandom(3);
    const values = Array.from({ length: 2000 }, () => logUniform(random, 0.01, 5000));
    // Negative values exactly at a power of two would land one bucket up (see classicBuckets).
    values.push(0, -3, -40, -0.6);
    const histogram = new ExponentialHistogram();
    for (const value of values) histogram.record(value);
    const buckets = classicBuckets(histogram.toData());
    expect(buckets[buckets.length - 1]).toEqual({ le: Infinity, count: values.length });
    for (const { le, count } of buckets) expect(count, `le=${le}`).toBe(values.filter((value) => value <= le).length);
    for (const { le } of buckets) if (le !== 0 && Number.isFinite(le)) expect(Number.isInteger(Math.log2(Math.abs(le))), `le=${le}`).toBe(true);
  });

  it('native buckets hold the same counts as the exponential ones, one index up, at schema 8 at most', () => {
    const histogram = new ExponentialHistogram(768, 20);
    for (const value of [1.0001, 1.0002, 1.0003, 1.001, 1.002, 1.002, -1.0005]) histogram.record(value);
    const data = histogram.toData();
    expect(data.scale).toBeGreaterThan(8);
    const native = nativeHistogram(data);
    expect(native.schema).toBe(8);
    // Rebuild absolute buckets from spans and deltas and check each value's bucket (base^(i-1), base^i].
    const expand = (spans: typeof native.positiveSpans, deltas: number[]) => {
      const buckets = new Map<number, number>();
      let index = 0;
      let count = 0;
      let position = 0;
      for (const [n, span] of spans.entries()) {
        index = n === 0 ? span.offset : index + span.offset;
        for (let k = 0; k < span.length; k++, index++) {
          count += deltas[position++];
          if (count > 0) buckets.set(index, count);
        }
      }
      expect(position).toBe(deltas.length);
      return buckets;
    };
    const base = Math.pow(2, Math.pow(2, -8));
    const bucketOf = (value: number) => Math.ceil(Math.log(value) / Math.log(base) - 1e-9);
    const expected = new Map<number, number>();
    for (const value of [1.0001, 1.0002, 1.0003, 1.001, 1.002, 1.002]) expected.set(bucketOf(value), (expected.get(bucketOf(value)) ?? 0) + 1);
    expect(expand(native.positiveSpans, native.positiveDeltas)).toEqual(expected);
    expect(expand(native.negativeSpans, native.negativeDeltas)).toEqual(new Map([[bucketOf(1.0005), 1]]));
  });
});

describe('content negotiation', () => {
  it.each([
    [undefined, 'text'],
    ['', 'text'],
    ['*/*', 'text'],
    ['text/plain;version=0.0.4', 'text'],
    ['application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1', 'openmetrics'],
    [
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      'protobuf',
    ],
    ['application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text', 'text'],
    ['application/openmetrics-text;version=2.0.0', 'text'],
    ['text/plain;q=0.9, application/openmetrics-text;q=0.2', 'text'],
    ['application/openmetrics-text;q=0', 'text'],
  ])('Accept %j → %s', (accept, format) => {
    expect(negotiateFormat(accept)).toBe(format);
  });
});

describe('exposition formats', () => {
  const families = drain(prometheusFamilies(points(), resource));

  it('text 0.0.4 parses in promtool (its only remarks: the units OpenTelemetry keeps)', () => {
    const promtool = requirePrometheus('promtool');
    const text = drain(renderPrometheusText(families, 'text'));
    expect(text).toContain('# TYPE checkout_orders_total counter\ncheckout_orders_total{http_route="/cart",key_1st="x"} 42\n');
    expect(text).toContain('cpu_utilization_ratio{host="a\\"b\\\\c\\nd"} 0.25');
    expect(text).toContain('db_query_milliseconds_bucket{le="+Inf"} 501');
    expect(text).toContain('target_info{service_name="checkout-api",telemetry_sdk_name="isometer",telemetry_sdk_version="1.0.0"} 1');
    expect(text).not.toContain('# {');
    const lint = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    const remarks = `${lint.stdout}${lint.stderr}`.trim().split('\n').filter(Boolean);
    expect([0, 3]).toContain(lint.status);
    for (const remark of remarks) expect(remark).toMatch(/use base unit "seconds" instead of "milliseconds"/);
  });

  it('OpenMetrics has family names without _total, UNIT, exemplars with the trace id, canonical le and # EOF', () => {
    const text = drain(renderPrometheusText(families, 'openmetrics'));
    expect(text).toContain('# TYPE checkout_orders counter\n');
    expect(text).toContain('checkout_orders_total{http_route="/cart",key_1st="x"} 42 # {trace_id="4bf92f3577b34da6a3ce929d0e0e4736",span_id="00f067aa0ba902b7"} 12.5 1733222400.123\n');
    expect(text).toContain('# TYPE db_query_milliseconds histogram\n# UNIT db_query_milliseconds milliseconds\n');
    expect(text).toMatch(/db_query_milliseconds_bucket\{le="16\.0"\} \d+ # \{trace_id="4bf92f3577b34da6a3ce929d0e0e4736",span_id="00f067aa0ba902b7"\} 12\.5 /);
    expect(text).toContain('# TYPE target info\n');
    expect(text.endsWith('# EOF\n')).toBe(true);
  });

  it('protobuf decodes against metrics.proto field for field, and re-encodes to the same bytes', () => {
    const bytes = drain(encodePrometheusProtobuf(families));
    const reader = protobuf.Reader.create(bytes);
    const decoded: Array<Record<string, unknown>> = [];
    while (reader.pos < reader.len) {
      const start = reader.pos;
      const message = MetricFamily.decodeDelimited(reader);
      // Every byte is a known field: the published definition writes the message back identically.
      expect(Buffer.from(MetricFamily.encodeDelimited(message).finish()).equals(Buffer.from(bytes.subarray(start, reader.pos)))).toBe(true);
      decoded.push(MetricFamily.toObject(message, { longs: Number, enums: String, defaults: false }) as Record<string, unknown>);
    }
    expect(decoded.map((family) => [family.name, family.type])).toEqual([
      ['target_info', 'GAUGE'],
      ['checkout_orders_total', 'COUNTER'],
      ['cpu_utilization_ratio', 'GAUGE'],
      ['db_query_milliseconds', 'HISTOGRAM'],
    ]);
    const counter = (decoded[1].metric as Array<{ counter: { value: number; exemplar: { label: unknown[]; value: number; timestamp: { seconds: number; nanos: number } } } }>)[0].counter;
    expect(counter.value).toBe(42);
    expect(counter.exemplar.label).toEqual([
      { name: 'trace_id', value: exemplar.traceId },
      { name: 'span_id', value: exemplar.spanId },
    ]);
    expect(counter.exemplar.timestamp).toEqual({ seconds: 1_733_222_400, nanos: 123_000_000 });
    const histogram = (decoded[3].metric as Array<{ histogram: Record<string, unknown> }>)[0].histogram;
    expect(histogram).toMatchObject({ sample_count: 501, zero_count: 1, zero_threshold: 0 });
    expect(histogram.schema).toBe(families[3].series[0].histogram!.native.schema);
    expect(histogram.positive_delta).toEqual(families[3].series[0].histogram!.native.positiveDeltas);
    expect((histogram.bucket as unknown[]).length).toBe(families[3].series[0].histogram!.buckets.length - 1);
  });
});
