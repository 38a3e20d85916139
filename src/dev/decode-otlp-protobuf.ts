/**
 * OTLP/HTTP protobuf bodies (`application/x-protobuf`) → the OTLP JSON mapping, so one decoder
 * (decode-otlp-json.ts) serves both encodings. The message table below follows the published
 * .proto files (opentelemetry-proto: the collector's metrics and trace service protos,
 * `metrics/v1/metrics.proto`, `trace/v1/trace.proto`, `common/v1/common.proto`); fields the
 * viewer does not show are skipped.
 */
import { ProtobufReader, WIRE } from './protobuf-reader';

/** How a field is read: a scalar kind, or the name of a message in SCHEMA. */
type Kind = 'string' | 'hex' | 'bool' | 'uint' | 'int64' | 'sint' | 'fixed32' | 'fixed64' | 'count64' | 'sfixed64' | 'double';
/** [JSON name, kind or message, 'repeated' (messages) / 'packed' (scalars)]. */
type Field = readonly [name: string, kind: Kind | MessageName, list?: 'repeated' | 'packed'];
type MessageName = string;

const KEY_VALUES: Field = ['attributes', 'KeyValue', 'repeated'];
const START: Field = ['startTimeUnixNano', 'fixed64'];
const TIME: Field = ['timeUnixNano', 'fixed64'];

const SCHEMA: Record<MessageName, Record<number, Field>> = {
  ExportMetricsServiceRequest: { 1: ['resourceMetrics', 'ResourceMetrics', 'repeated'] },
  ExportTraceServiceRequest: { 1: ['resourceSpans', 'ResourceSpans', 'repeated'] },
  AnyValue: {
    1: ['stringValue', 'string'],
    2: ['boolValue', 'bool'],
    3: ['intValue', 'int64'],
    4: ['doubleValue', 'double'],
    5: ['arrayValue', 'ArrayValue'],
    6: ['kvlistValue', 'KeyValueList'],
    7: ['bytesValue', 'hex'],
  },
  ArrayValue: { 1: ['values', 'AnyValue', 'repeated'] },
  KeyValueList: { 1: ['values', 'KeyValue', 'repeated'] },
  KeyValue: { 1: ['key', 'string'], 2: ['value', 'AnyValue'] },
  Resource: { 1: KEY_VALUES },
  InstrumentationScope: { 1: ['name', 'string'], 2: ['version', 'string'] },
  ResourceMetrics: { 1: ['resource', 'Resource'], 2: ['scopeMetrics', 'ScopeMetrics', 'repeated'] },
  ScopeMetrics: { 1: ['scope', 'InstrumentationScope'], 2: ['metrics', 'Metric', 'repeated'] },
  Metric: { 1: ['name', 'string'], 3: ['unit', 'string'], 5: ['gauge', 'Gauge'], 7: ['sum', 'Sum'], 9: ['histogram', 'Histogram'], 10: ['exponentialHistogram', 'ExponentialHistogram'] },
  Gauge: { 1: ['dataPoints', 'NumberDataPoint', 'repeated'] },
  Sum: { 1: ['dataPoints', 'NumberDataPoint', 'repeated'], 2: ['aggregationTemporality', 'uint'], 3: ['isMonotonic', 'bool'] },
  Histogram: { 1: ['dataPoints', 'HistogramDataPoint', 'repeated'], 2: ['aggregationTemporality', 'uint'] },
  ExponentialHistogram: { 1: ['dataPoints', 'ExponentialHistogramDataPoint', 'repeated'], 2: ['aggregationTemporality', 'uint'] },
  NumberDataPoint: { 7: KEY_VALUES, 2: START, 3: TIME, 4: ['asDouble', 'double'], 6: ['asInt', 'sfixed64'], 5: ['exemplars', 'Exemplar', 'repeated'], 8: ['flags', 'uint'] },
  HistogramDataPoint: {
    9: KEY_VALUES,
    2: START,
    3: TIME,
    4: ['count', 'count64'],
    5: ['sum', 'double'],
    6: ['bucketCounts', 'count64', 'packed'],
    7: ['explicitBounds', 'double', 'packed'],
    8: ['exemplars', 'Exemplar', 'repeated'],
    11: ['min', 'double'],
    12: ['max', 'double'],
  },
  ExponentialHistogramDataPoint: {
    1: KEY_VALUES,
    2: START,
    3: TIME,
    4: ['count', 'count64'],
    5: ['sum', 'double'],
    6: ['scale', 'sint'],
    7: ['zeroCount', 'count64'],
    8: ['positive', 'Buckets'],
    9: ['negative', 'Buckets'],
    11: ['exemplars', 'Exemplar', 'repeated'],
    12: ['min', 'double'],
    13: ['max', 'double'],
  },
  Buckets: { 1: ['offset', 'sint'], 2: ['bucketCounts', 'uint', 'packed'] },
  Exemplar: { 7: ['filteredAttributes', 'KeyValue', 'repeated'], 2: TIME, 3: ['asDouble', 'double'], 6: ['asInt', 'sfixed64'], 4: ['spanId', 'hex'], 5: ['traceId', 'hex'] },
  ResourceSpans: { 1: ['resource', 'Resource'], 2: ['scopeSpans', 'ScopeSpans', 'repeated'] },
  ScopeSpans: { 1: ['scope', 'InstrumentationScope'], 2: ['spans', 'Span', 'repeated'] },
  Span: {
    1: ['traceId', 'hex'],
    2: ['spanId', 'hex'],
    3: ['traceState', 'string'],
    4: ['parentSpanId', 'hex'],
    16: ['flags', 'fixed32'],
    5: ['name', 'string'],
    6: ['kind', 'uint'],
    7: ['startTimeUnixNano', 'fixed64'],
    8: ['endTimeUnixNano', 'fixed64'],
    9: KEY_VALUES,
    15: ['status', 'Status'],
  },
  Status: { 2: ['message', 'string'], 3: ['code', 'uint'] },
};

const WIRE_OF: Record<Kind, number> = {
  string: WIRE.LEN,
  hex: WIRE.LEN,
  bool: WIRE.VARINT,
  uint: WIRE.VARINT,
  int64: WIRE.VARINT,
  sint: WIRE.VARINT,
  fixed32: WIRE.I32,
  fixed64: WIRE.I64,
  count64: WIRE.I64,
  sfixed64: WIRE.I64,
  double: WIRE.I64,
};

const READ: Record<Kind, (reader: ProtobufReader) => unknown> = {
  string: (reader) => reader.string(),
  hex: (reader) => toHex(reader.bytesField()),
  bool: (reader) => reader.varint() !== 0,
  uint: (reader) => reader.varint(),
  int64: (reader) => reader.int64(),
  sint: (reader) => reader.sint(),
  fixed32: (reader) => reader.fixed32(),
  fixed64: (reader) => reader.fixed64String(),
  count64: (reader) => reader.fixed64(),
  sfixed64: (reader) => reader.fixed64(true),
  double: (reader) => reader.double(),
};

/**
 * An ExportMetricsServiceRequest in its JSON mapping. Throws a RangeError on malformed bytes.
 *
 * @example
 * decodeOtlpMetrics(otlpMetricsFromProtobuf(new Uint8Array(body)));
 */
export function otlpMetricsFromProtobuf(bytes: Uint8Array): Record<string, unknown> {
  return readMessage(new ProtobufReader(bytes), 'ExportMetricsServiceRequest');
}

/**
 * An ExportTraceServiceRequest in its JSON mapping. Throws a RangeError on malformed bytes.
 *
 * @example
 * decodeOtlpSpans(otlpSpansFromProtobuf(new Uint8Array(body)));
 */
export function otlpSpansFromProtobuf(bytes: Uint8Array): Record<string, unknown> {
  return readMessage(new ProtobufReader(bytes), 'ExportTraceServiceRequest');
}

function readMessage(reader: ProtobufReader, name: MessageName, depth = 0): Record<string, unknown> {
  // AnyValue nests (arrays of maps of arrays …); a hostile body must not exhaust the stack.
  if (depth > 32) throw new RangeError('protobuf: messages nested too deeply');
  const fields: Record<number, Field> = SCHEMA[name];
  const result: Record<string, unknown> = {};
  while (reader.more()) {
    const [number, wire] = reader.tag();
    const field = fields[number];
    if (!field) {
      reader.skip(wire);
      continue;
    }
    const [key, kind, list] = field;
    if (kind in SCHEMA) {
      if (wire !== WIRE.LEN) throw new RangeError(`protobuf: ${name}.${key} has wire type ${wire}`);
      const value = readMessage(reader.message(), kind, depth + 1);
      if (list) ((result[key] ??= []) as unknown[]).push(value);
      else result[key] = value;
      continue;
    }
    const scalar = kind as Kind;
    if (list === 'packed') {
      if (wire !== WIRE.LEN && wire !== WIRE_OF[scalar]) throw new RangeError(`protobuf: ${name}.${key} has wire type ${wire}`);
      ((result[key] ??= []) as unknown[]).push(...reader.repeated(wire, READ[scalar] as (reader: ProtobufReader) => number));
      continue;
    }
    if (wire !== WIRE_OF[scalar]) throw new RangeError(`protobuf: ${name}.${key} has wire type ${wire}`);
    result[key] = READ[scalar](reader);
  }
  return result;
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
