const TWO_32 = 4294967296;
const HEX = '0123456789abcdef';
/** Up to this many bytes, `raw` copies in a loop: cheaper than the view `set` needs. */
const RAW_LOOP_BYTES = 512;

/**
 * The few protobuf wire-format writes OTLP needs (https://protobuf.dev/programming-guides/encoding/),
 * into one growing buffer: varints, zigzag, fixed64, doubles, UTF-8 strings, hex ids as bytes, and
 * nested messages. A nested message reserves one length byte and, when it ends, moves its
 * contents if the length needs more, so messages are written once, front to back, with no size
 * pass. No dependency and no `TextEncoder`, so the core stays runtime-neutral and small.
 *
 * @example
 * const writer = new ProtobufWriter();
 * const metric = writer.fork(2); // field 2, a nested message
 * writer.string(1, 'http.server.request.duration');
 * writer.join(metric);
 * writer.finish(); // → Uint8Array
 */
export class ProtobufWriter {
  bytes: Uint8Array;
  pos = 0;
  private view: DataView;
  /** The time `unixNano` wrote last, and its eight bytes. */
  private lastNanoMs = Number.NaN;
  private readonly lastNano = new Uint8Array(8);

  constructor(capacity = 4096) {
    this.bytes = new Uint8Array(capacity);
    this.view = new DataView(this.bytes.buffer);
  }

  /** Makes room for `more` bytes past `pos`. */
  reserve(more: number): void {
    const need = this.pos + more;
    if (need <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(need, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.pos));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  /** An unsigned varint: any integer in [0, 2^53). */
  varint(value: number): void {
    this.reserve(10);
    const bytes = this.bytes;
    let pos = this.pos;
    while (value >= 0x80) {
      bytes[pos++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    bytes[pos++] = value;
    this.pos = pos;
  }

  /** A field's key: its number and wire type (0 varint, 1 fixed64, 2 length-delimited). */
  tag(field: number, wireType: 0 | 1 | 2): void {
    this.varint(field * 8 + wireType);
  }

  /** An `int64` that may be negative: two's complement over ten bytes, as the spec says. */
  int64(field: number, value: number): void {
    this.tag(field, 0);
    if (value >= 0) return this.varint(value);
    this.reserve(10);
    // -value < 2^53, so the low and high words are exact.
    let low = (TWO_32 - (-value % TWO_32)) % TWO_32;
    let high = TWO_32 - 1 - Math.floor(-value / TWO_32) + (low === 0 ? 1 : 0);
    for (let i = 0; i < 9; i++) {
      this.bytes[this.pos++] = (low & 0x7f) | 0x80;
      low = (low >>> 7) | ((high & 0x7f) << 25);
      high >>>= 7;
    }
    this.bytes[this.pos++] = 1;
  }

  /** A `sint32` field (zigzag), e.g. a histogram's scale or bucket offset. */
  sint32(field: number, value: number): void {
    this.tag(field, 0);
    this.varint(((value << 1) ^ (value >> 31)) >>> 0);
  }

  /** A `uint32`/`int32`/enum/`bool` field with a non-negative value. */
  uint(field: number, value: number): void {
    this.tag(field, 0);
    this.varint(value);
  }

  double(field: number, value: number): void {
    this.tag(field, 1);
    this.reserve(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /** A `fixed64` count in [0, 2^53). */
  fixed64(field: number, value: number): void {
    this.tag(field, 1);
    this.reserve(8);
    this.view.setUint32(this.pos, value % TWO_32, true);
    this.view.setUint32(this.pos + 4, Math.floor(value / TWO_32), true);
    this.pos += 8;
  }

  /** A `fixed64` holding epoch milliseconds as nanoseconds, exact to the nanosecond for any time a double holds. */
  unixNano(field: number, epochMs: number): void {
    this.tag(field, 1);
    this.reserve(8);
    // The points of a request share a few times (the interval's end, their series' starts): the
    // last one's eight bytes are copied, not computed again (the arithmetic passes 2^31, and
    // code not yet optimised boxes every such number: some 120 bytes of garbage a call).
    const bytes = this.bytes;
    const pos = this.pos;
    const last = this.lastNano;
    if (epochMs === this.lastNanoMs) {
      for (let i = 0; i < 8; i++) bytes[pos + i] = last[i];
      this.pos = pos + 8;
      return;
    }
    let low = 0;
    let high = 0;
    if (epochMs > 0 && epochMs < 2 ** 43) {
      const wholeMs = Math.floor(epochMs);
      // ms × 10^6 passes 2^53: split the milliseconds at 2^16 so every product stays exact.
      const upper = Math.floor(wholeMs / 65536) * 1e6;
      const lower = (wholeMs % 65536) * 1e6 + Math.round((epochMs - wholeMs) * 1e6);
      const upperLow = upper % 65536;
      const sum = upperLow * 65536 + lower;
      low = sum % TWO_32;
      high = Math.floor(upper / 65536) + Math.floor(sum / TWO_32);
    }
    this.view.setUint32(pos, low, true);
    this.view.setUint32(pos + 4, high, true);
    for (let i = 0; i < 8; i++) last[i] = bytes[pos + i];
    this.lastNanoMs = epochMs;
    this.pos = pos + 8;
  }

  /** A string field, UTF-8 encoded (a lone surrogate becomes U+FFFD, as `TextEncoder` does). */
  string(field: number, text: string): void {
    this.tag(field, 2);
    const start = this.fork();
    this.reserve(text.length * 3);
    const bytes = this.bytes;
    let pos = this.pos;
    for (let i = 0; i < text.length; i++) {
      let code = text.charCodeAt(i);
      if (code < 0x80) {
        bytes[pos++] = code;
        continue;
      }
      if (code < 0x800) {
        bytes[pos++] = 0xc0 | (code >> 6);
      } else {
        if (code >= 0xd800 && code <= 0xdfff) {
          const next = text.charCodeAt(i + 1);
          if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
            code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
            i++;
            bytes[pos++] = 0xf0 | (code >> 18);
            bytes[pos++] = 0x80 | ((code >> 12) & 0x3f);
          } else {
            code = 0xfffd;
            bytes[pos++] = 0xe0 | (code >> 12);
          }
        } else {
          bytes[pos++] = 0xe0 | (code >> 12);
        }
        bytes[pos++] = 0x80 | ((code >> 6) & 0x3f);
      }
      bytes[pos++] = 0x80 | (code & 0x3f);
    }
    this.pos = pos;
    this.join(start);
  }

  /** A `bytes` field from lowercase hex (trace and span ids). */
  hexBytes(field: number, hex: string): void {
    this.tag(field, 2);
    this.varint(hex.length >> 1);
    this.reserve(hex.length >> 1);
    for (let i = 0; i + 1 < hex.length; i += 2) this.bytes[this.pos++] = (HEX.indexOf(hex[i]) << 4) | HEX.indexOf(hex[i + 1]);
  }

  /** Copies bytes already encoded (a data point written once, placed in its request). */
  raw(source: Uint8Array, start: number, end: number): void {
    this.reserve(end - start);
    // A data point is a few hundred bytes: copied byte by byte, with no `subarray` view allocated for each.
    if (end - start <= RAW_LOOP_BYTES) {
      const bytes = this.bytes;
      let pos = this.pos;
      for (let i = start; i < end; i++) bytes[pos++] = source[i];
      this.pos = pos;
      return;
    }
    this.bytes.set(source.subarray(start, end), this.pos);
    this.pos += end - start;
  }

  /**
   * Starts a length-delimited value: with `field`, writes its key first. Returns where its length
   * goes; pass that to `join` when the value is written.
   */
  fork(field?: number): number {
    if (field !== undefined) this.tag(field, 2);
    this.reserve(1);
    return this.pos++;
  }

  /** Ends the value `fork` started: writes its length, moving the contents if it needs more than a byte. */
  join(start: number): void {
    const length = this.pos - start - 1;
    if (length < 0x80) {
      this.bytes[start] = length;
      return;
    }
    let extra = 0;
    for (let rest = length; rest >= 0x80; rest = Math.floor(rest / 0x80)) extra++;
    this.reserve(extra);
    this.bytes.copyWithin(start + 1 + extra, start + 1, this.pos);
    const end = this.pos + extra;
    this.pos = start;
    this.varint(length);
    this.pos = end;
  }

  /** The bytes written so far, copied, and the writer emptied for reuse. */
  finish(): Uint8Array {
    const out = this.bytes.slice(0, this.pos);
    this.pos = 0;
    return out;
  }
}
