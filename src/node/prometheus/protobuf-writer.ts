/**
 * The little of protobuf's wire format (https://protobuf.dev/programming-guides/encoding/) the
 * Prometheus exposition format needs: varints, zigzag, doubles, strings and nested messages, into
 * one growing byte buffer. A nested message is written after a placeholder for its length, which
 * is filled in when it ends (moving the bytes if the length needs more than one byte).
 *
 * @example
 * const writer = new ProtobufWriter();
 * writer.string(1, 'http_requests_total').varint(3, 0);
 * writer.finish(); // → Uint8Array
 */
export class ProtobufWriter {
  private buffer = new Uint8Array(1024);
  private view = new DataView(this.buffer.buffer);
  private at = 0;
  private readonly encoder = new TextEncoder();

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
    this.reserve(8);
    this.view.setFloat64(this.at, value, true);
    this.at += 8;
    return this;
  }

  string(field: number, value: string): this {
    this.tag(field, 2);
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const start = this.begin(value.length * 3);
    const { written } = this.encoder.encodeInto(value, this.buffer.subarray(this.at));
    this.at += written;
    this.end(start);
    return this;
  }

  /** A nested message, written by `build` into this writer. */
  message(field: number, build: (writer: ProtobufWriter) => void): this {
    this.tag(field, 2);
    const start = this.begin(0);
    build(this);
    this.end(start);
    return this;
  }

  /** A length-prefixed message with no field tag, as each message of a delimited stream is. */
  delimited(build: (writer: ProtobufWriter) => void): this {
    const start = this.begin(0);
    build(this);
    this.end(start);
    return this;
  }

  /** Bytes as they are, with no tag or length (a message encoded elsewhere). */
  bytesRaw(value: Uint8Array): this {
    this.reserve(value.length);
    this.buffer.set(value, this.at);
    this.at += value.length;
    return this;
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.at);
  }

  private tag(field: number, wireType: number): void {
    this.raw(field * 8 + wireType);
  }

  /** Leaves one byte for a length and makes room for `bytes` more; returns where the content starts. */
  private begin(bytes: number): number {
    this.reserve(bytes + 1);
    this.at += 1;
    return this.at;
  }

  /** Writes the length of what follows `start` into the byte before it, widening it when needed. */
  private end(start: number): void {
    const length = this.at - start;
    let size = 1;
    for (let rest = length; rest >= 0x80; rest = Math.floor(rest / 0x80)) size++;
    if (size > 1) {
      this.reserve(size - 1);
      this.buffer.copyWithin(start + size - 1, start, this.at);
      this.at += size - 1;
    }
    let position = start - 1;
    let rest = length;
    while (rest >= 0x80) {
      this.buffer[position++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buffer[position] = rest;
  }

  /** An unsigned varint; values past 2^53 are not needed here. */
  private raw(value: number): void {
    this.reserve(10);
    let rest = Math.floor(value);
    while (rest >= 0x80) {
      this.buffer[this.at++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buffer[this.at++] = rest;
  }

  private reserve(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < this.at + bytes) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.buffer.subarray(0, this.at));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }
}
