/**
 * A small reader of the protobuf wire format (https://protobuf.dev/programming-guides/encoding/):
 * varints, 64- and 32-bit fixed values and length-delimited fields, enough to walk the OTLP
 * messages without a schema compiler at run time. Every read checks its bounds and throws a
 * `RangeError` on a truncated or malformed message.
 */

/** Wire types (encoding guide, "Message Structure"). */
export const WIRE = { VARINT: 0, I64: 1, LEN: 2, SGROUP: 3, EGROUP: 4, I32: 5 } as const;

/**
 * @example
 * const reader = new ProtobufReader(bytes);
 * while (reader.more()) { const [field, wire] = reader.tag(); if (field === 1) reader.string(); else reader.skip(wire); }
 */
export class ProtobufReader {
  private position: number;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    private readonly end = bytes.length,
  ) {
    this.position = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  more(): boolean {
    return this.position < this.end;
  }

  /** The next field number and wire type. */
  tag(): [field: number, wire: number] {
    const key = this.varint();
    const field = Math.floor(key / 8);
    if (field < 1) throw new RangeError('protobuf: field number 0');
    return [field, key % 8];
  }

  /** An unsigned varint as a number (exact up to 2^53; OTLP counts and enums stay far below). */
  varint(): number {
    let result = 0;
    let multiplier = 1;
    for (let i = 0; i < 10; i++) {
      if (this.position >= this.end) throw new RangeError('protobuf: truncated varint');
      const byte = this.bytes[this.position++];
      result += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return result;
      multiplier *= 128;
    }
    throw new RangeError('protobuf: varint longer than 10 bytes');
  }

  /** A varint as a signed 64-bit value (int32/int64 with two's complement), as a number. */
  int64(): number {
    const value = this.varint();
    return value >= 2 ** 63 ? value - 2 ** 64 : value;
  }

  /** sint32/sint64: ZigZag. */
  sint(): number {
    const value = this.varint();
    return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
  }

  /** fixed64 as a decimal string (nanosecond times need all 64 bits). */
  fixed64String(): string {
    const low = this.view.getUint32(this.take(8), true);
    const high = this.view.getUint32(this.position - 4, true);
    return ((BigInt(high) << 32n) | BigInt(low)).toString();
  }

  /** fixed64 / sfixed64 as a number. */
  fixed64(signed = false): number {
    const at = this.take(8);
    return Number(signed ? this.view.getBigInt64(at, true) : this.view.getBigUint64(at, true));
  }

  fixed32(): number {
    return this.view.getUint32(this.take(4), true);
  }

  double(): number {
    return this.view.getFloat64(this.take(8), true);
  }

  /** A length-delimited field's bounds: a reader over it. */
  message(): ProtobufReader {
    const length = this.varint();
    const start = this.take(length);
    return new ProtobufReader(this.bytes, start, start + length);
  }

  bytesField(): Uint8Array {
    const length = this.varint();
    const start = this.take(length);
    return this.bytes.subarray(start, start + length);
  }

  string(): string {
    return new TextDecoder('utf-8', { fatal: false }).decode(this.bytesField());
  }

  /** `repeated` scalars: packed (one LEN field) or not (one value per field). */
  repeated(wire: number, read: (reader: ProtobufReader) => number): number[] {
    if (wire !== WIRE.LEN) return [read(this)];
    const inner = this.message();
    const values: number[] = [];
    while (inner.more()) values.push(read(inner));
    return values;
  }

  /** Skips a field of this wire type. */
  skip(wire: number): void {
    if (wire === WIRE.VARINT) this.varint();
    else if (wire === WIRE.I64) this.take(8);
    else if (wire === WIRE.LEN) this.take(this.varint());
    else if (wire === WIRE.I32) this.take(4);
    else throw new RangeError(`protobuf: unsupported wire type ${wire}`);
  }

  private take(length: number): number {
    const start = this.position;
    if (length < 0 || start + length > this.end) throw new RangeError('protobuf: field runs past the end of its message');
    this.position = start + length;
    return start;
  }
}
