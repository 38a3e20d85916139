/**
 * The little of protobuf's wire format (https://protobuf.dev/programming-guides/encoding/) the
 * Prometheus exposition format needs: varints, zigzag, doubles, strings and nested messages.
 * Each message is built in its own writer and copied into its parent with its length.
 *
 * @example
 * const writer = new ProtobufWriter();
 * writer.string(1, 'http_requests_total').varint(3, 0);
 * writer.finish(); // → Uint8Array
 */
export class ProtobufWriter {
  private chunks: number[] = [];
  private readonly scratch = new DataView(new ArrayBuffer(8));

  /** A varint field (int32, int64, uint32, uint64, enum, bool); wire type 0. */
  varint(field: number, value: number): this {
    this.tag(field, 0);
    this.raw(value);
    return this;
  }

  /** A zigzag varint field (sint32, sint64). */
  signed(field: number, value: number): this {
    this.tag(field, 0);
    // Zigzag maps 0, -1, 1, -2 … to 0, 1, 2, 3 …; written with arithmetic safe beyond 32 bits.
    this.raw(value >= 0 ? value * 2 : -value * 2 - 1);
    return this;
  }

  /** A double field; wire type 1, little-endian. */
  double(field: number, value: number): this {
    this.tag(field, 1);
    this.scratch.setFloat64(0, value, true);
    for (let i = 0; i < 8; i++) this.chunks.push(this.scratch.getUint8(i));
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** A nested message, built by `build` in a writer of its own. */
  message(field: number, build: (writer: ProtobufWriter) => void): this {
    const inner = new ProtobufWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.raw(value.length);
    for (let i = 0; i < value.length; i++) this.chunks.push(value[i]);
    return this;
  }

  /** A length prefix alone, as a delimited stream puts before each message. */
  length(value: number): this {
    this.raw(value);
    return this;
  }

  append(value: Uint8Array): this {
    for (let i = 0; i < value.length; i++) this.chunks.push(value[i]);
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }

  private tag(field: number, wireType: number): void {
    this.raw(field * 8 + wireType);
  }

  /** An unsigned varint; values past 2^53 are not needed here. */
  private raw(value: number): void {
    let rest = Math.floor(value);
    while (rest >= 0x80) {
      this.chunks.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.chunks.push(rest);
  }
}
