import type { Exemplar } from '../../core/metrics/types';
import type { BucketSpan } from './native-histogram';
import type { LabelPairs, PrometheusFamily, PrometheusHistogram } from './prometheus-families';
import { ProtobufWriter } from './protobuf-writer';

/** `io.prometheus.client.MetricType`. */
const COUNTER = 0;
const GAUGE = 1;
const HISTOGRAM = 4;

/** The content type Prometheus asks for when it wants native histograms. */
export const PROTOBUF_CONTENT_TYPE = 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

/**
 * Families in the protobuf exposition format: a stream of `io.prometheus.client.MetricFamily`
 * messages, each preceded by its length as a varint (prometheus/client_model, metrics.proto).
 * Counters carry their exemplar; histograms carry the classic buckets (with their exemplars)
 * and the native histogram (schema, zero bucket, spans and deltas) in the same message, so a
 * scraper takes whichever it is set up for. Field numbers follow metrics.proto; repeated
 * scalars are written unpacked, as that proto2 file declares them. A generator that pauses after
 * each series, for `runSliced`.
 *
 * @example
 * const bytes = await runSliced(encodePrometheusProtobuf(families)); // served as PROTOBUF_CONTENT_TYPE
 */
export function* encodePrometheusProtobuf(families: readonly PrometheusFamily[]): Generator<void, Uint8Array> {
  const stream = new ProtobufWriter();
  for (const family of families) {
    if (family.series.length === 0) continue;
    // The family message is built in a writer of its own, so pausing between series is safe.
    const message = new ProtobufWriter();
    const name = family.type === 'counter' ? `${family.name}_total` : family.type === 'info' ? `${family.name}_info` : family.name;
    message.string(1, name);
    if (family.help !== '') message.string(2, family.help);
    message.varint(3, family.type === 'counter' ? COUNTER : family.type === 'histogram' ? HISTOGRAM : GAUGE);
    for (const series of family.series) {
      message.message(4, (metric) => {
        labels(metric, 1, series.labels);
        if (family.type === 'counter') {
          metric.message(3, (counter) => {
            counter.double(1, series.value);
            if (series.exemplar) counter.message(2, (writer) => exemplar(writer, series.exemplar!));
          });
        } else if (family.type === 'histogram' && series.histogram) {
          metric.message(7, (writer) => histogram(writer, series.histogram!));
        } else {
          metric.message(2, (gauge) => gauge.double(1, series.value));
        }
      });
      yield;
    }
    if (family.unit !== '') message.string(5, family.unit);
    const bytes = message.finish();
    stream.delimited((writer) => writer.bytesRaw(bytes));
  }
  return stream.finish();
}

function labels(writer: ProtobufWriter, field: number, pairs: LabelPairs): void {
  for (const [name, value] of pairs) writer.message(field, (pair) => pair.string(1, name).string(2, value));
}

function exemplar(writer: ProtobufWriter, value: Exemplar): void {
  labels(writer, 1, [
    ['trace_id', value.traceId],
    ['span_id', value.spanId],
  ]);
  writer.double(2, value.value);
  const seconds = Math.floor(value.timestampMs / 1000);
  const nanos = Math.min(999_999_999, Math.round((value.timestampMs - seconds * 1000) * 1e6));
  writer.message(3, (timestamp) => {
    timestamp.varint(1, seconds);
    if (nanos > 0) timestamp.varint(2, nanos);
  });
}

function histogram(writer: ProtobufWriter, data: PrometheusHistogram): void {
  writer.varint(1, data.count);
  writer.double(2, data.sum);
  for (const bucket of data.buckets) {
    // The +Inf bucket is implied by the sample count.
    if (bucket.le === Infinity) continue;
    writer.message(3, (entry) => {
      entry.varint(1, bucket.count).double(2, bucket.le);
      if (bucket.exemplar) entry.message(3, (target) => exemplar(target, bucket.exemplar!));
    });
  }
  const native = data.native;
  writer.signed(5, native.schema);
  writer.double(6, 0);
  writer.varint(7, native.zeroCount);
  spans(writer, 9, native.negativeSpans);
  for (const delta of native.negativeDeltas) writer.signed(10, delta);
  spans(writer, 12, native.positiveSpans);
  for (const delta of native.positiveDeltas) writer.signed(13, delta);
}

function spans(writer: ProtobufWriter, field: number, list: BucketSpan[]): void {
  for (const span of list) writer.message(field, (entry) => entry.signed(1, span.offset).varint(2, span.length));
}
