/**
 * Test helper: checks OTLP JSON against the published protobuf definitions (the protobufjs static
 * module @opentelemetry/otlp-transformer generates from the official .proto files).
 */
import { createRequire } from 'node:module';
import { expect } from 'vitest';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const root = require('otlp-proto-definitions/build/src/generated/root.js') as any;

interface ProtoType {
  verify(message: unknown): string | null;
  fromObject(object: unknown): unknown;
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options: Record<string, unknown>): Record<string, unknown>;
}

export const ExportMetricsServiceRequest: ProtoType = root.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
export const ExportTraceServiceRequest: ProtoType = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

// The OTLP JSON mapping writes these `bytes` fields as hex; protobuf's own JSON uses base64.
const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);

function mapIds(value: unknown, convert: (id: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => mapIds(item, convert));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) out[key] = ID_FIELDS.has(key) && typeof field === 'string' ? convert(field) : mapIds(field, convert);
  return out;
}

/**
 * Wire JSON → protobuf message (verified) → bytes → message → plain object with hex ids, 64-bit
 * integers as strings and enums as numbers, every field present (defaults included), and each
 * oneof's chosen member named by its virtual field (`value: 'stringValue'`, `data: 'sum'`).
 * `verify` runs on the message `fromObject` built: it checks runtime types (Long for 64-bit
 * fields), which the JSON mapping's decimal strings are not until `fromObject` converts them.
 */
export function protoRoundTrip(type: ProtoType, wireJson: string): Record<string, any> {
  const parsed = JSON.parse(wireJson);
  const message = type.fromObject(mapIds(parsed, (hex) => Buffer.from(hex, 'hex').toString('base64')));
  expect(type.verify(message)).toBeNull();
  const decoded = type.decode(type.encode(message).finish());
  const plain = type.toObject(decoded, { longs: String, enums: Number, bytes: String, defaults: true, arrays: true, oneofs: true });
  return mapIds(plain, (base64) => Buffer.from(base64, 'base64').toString('hex')) as Record<string, any>;
}

/**
 * A protobuf body → plain object (same shape as `protoRoundTrip`'s), strictly: the bytes must
 * decode, and protobufjs re-encoding what it decoded must give the same bytes back, so no field
 * was unknown (the generated decoder skips unknown fields, the encoder writes only known ones),
 * none was written twice and every value kept its wire type.
 */
export function decodeProtobuf(type: ProtoType, body: Uint8Array): Record<string, any> {
  const decoded = type.decode(body);
  expect(type.verify(decoded)).toBeNull();
  const again = type.encode(decoded).finish();
  expect(Buffer.from(again).equals(Buffer.from(body)), 'protobufjs re-encodes the same bytes (no unknown or repeated field)').toBe(true);
  const plain = type.toObject(decoded, { longs: String, enums: Number, bytes: String, defaults: true, arrays: true, oneofs: true });
  return mapIds(plain, (base64) => Buffer.from(base64, 'base64').toString('hex')) as Record<string, any>;
}

// 64-bit counts the JSON sends as numbers (proto3 JSON accepts either); the decoder gives strings.
const COUNT_FIELDS = new Set(['count', 'zeroCount', 'bucketCounts']);

/**
 * Every field of `sent` (the JSON as it went on the wire) is in `decoded` with the same value:
 * a misspelt field, a number where the mapping wants a string, an enum by name, all fail here.
 */
export function expectSentFieldsSurvive(decoded: unknown, sent: unknown, path = '$'): void {
  const field = /\.(\w+)(\[\d+\])?$/.exec(path)?.[1];
  if (typeof sent === 'number' && typeof decoded === 'string' && field !== undefined && COUNT_FIELDS.has(field)) {
    expect(decoded, path).toBe(String(sent));
  } else if (Array.isArray(sent)) {
    expect(Array.isArray(decoded), `${path} is an array`).toBe(true);
    expect((decoded as unknown[]).length, `${path}.length`).toBe(sent.length);
    sent.forEach((item, index) => expectSentFieldsSurvive((decoded as unknown[])[index], item, `${path}[${index}]`));
  } else if (typeof sent === 'object' && sent !== null) {
    expect(typeof decoded, `${path} is an object`).toBe('object');
    for (const [key, value] of Object.entries(sent)) {
      expect(Object.prototype.hasOwnProperty.call(decoded, key), `${path}.${key} is a field of the proto message`).toBe(true);
      expectSentFieldsSurvive((decoded as Record<string, unknown>)[key], value, `${path}.${key}`);
    }
  } else {
    expect(decoded, path).toStrictEqual(sent);
  }
}

/** A decoded KeyValue list as a plain object of its values. */
export function attributeMap(keyValues: Array<{ key: string; value: Record<string, unknown> }>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of keyValues) out[key] = value[value.value as string];
  return out;
}
