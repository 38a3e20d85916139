import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import protobuf from 'protobufjs/minimal.js';
import { ProtobufWriter } from '../../../../../src/core/export/otlp/protobuf-writer';

/** protobufjs's reader: an independent decoder for each value the writer produces. */
const reader = (bytes: Uint8Array) => protobuf.Reader.create(bytes);
const long = (value: unknown) => BigInt(String(value));

describe('ProtobufWriter', () => {
  it('writes varints that protobufjs reads back, up to 2^53 - 1', () => {
    for (const value of [0, 1, 127, 128, 300, 16383, 16384, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1]) {
      const writer = new ProtobufWriter(1);
      writer.varint(value);
      expect(long(reader(writer.finish()).uint64()), String(value)).toBe(BigInt(value));
    }
  });

  it('writes negative int64 attributes as ten-byte two’s complement', () => {
    fc.assert(
      fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (value) => {
        const writer = new ProtobufWriter(4);
        writer.int64(3, value);
        const bytes = writer.finish();
        const read = reader(bytes);
        expect(read.uint32()).toBe((3 << 3) | 0);
        expect(long(read.int64())).toBe(BigInt(value));
        if (value < 0) expect(bytes.length).toBe(11);
      }),
      { numRuns: 500 },
    );
  });

  it('writes sint32 scales and offsets with zigzag', () => {
    for (const value of [0, -1, 1, -10, 20, -(2 ** 31), 2 ** 31 - 1]) {
      const writer = new ProtobufWriter();
      writer.sint32(6, value);
      const read = reader(writer.finish());
      read.uint32();
      expect(read.sint32()).toBe(value);
    }
  });

  it('writes epoch milliseconds as exact fixed64 nanoseconds, sub-millisecond part included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.integer({ min: 0, max: 999 }), (wholeMs, micros) => {
        const epochMs = wholeMs + micros / 1000;
        const writer = new ProtobufWriter();
        writer.unixNano(2, epochMs);
        const read = reader(writer.finish());
        read.uint32();
        const expected = BigInt(Math.floor(epochMs)) * 1_000_000n + BigInt(Math.round((epochMs - Math.floor(epochMs)) * 1e6));
        expect(long(read.fixed64())).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('writes strings as UTF-8, lone surrogates as U+FFFD, exactly as Buffer does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const writer = new ProtobufWriter(1);
        writer.string(1, text);
        const read = reader(writer.finish());
        read.uint32();
        expect(Buffer.from(read.bytes()).equals(Buffer.from(text, 'utf8'))).toBe(true);
      }),
      { numRuns: 500 },
    );
    const writer = new ProtobufWriter();
    writer.string(1, 'a\ud800b');
    expect([...writer.finish()]).toEqual([10, 5, 0x61, 0xef, 0xbf, 0xbd, 0x62]);
  });

  it('moves a nested message whose length needs two or three bytes, keeping what follows intact', () => {
    for (const size of [0, 127, 128, 16383, 16384, 70_000]) {
      const writer = new ProtobufWriter(8);
      const start = writer.fork(2);
      writer.raw(new Uint8Array(size).fill(7), 0, size);
      writer.join(start);
      writer.uint(3, 9);
      const read = reader(writer.finish());
      expect(read.uint32()).toBe((2 << 3) | 2);
      const inner = read.bytes();
      expect(inner.length).toBe(size);
      expect(inner.every((byte: number) => byte === 7)).toBe(true);
      expect(read.uint32()).toBe(3 << 3);
      expect(read.uint32()).toBe(9);
    }
  });

  it('writes doubles, fixed64 counts and hex ids', () => {
    const writer = new ProtobufWriter();
    writer.double(4, -0.1);
    writer.fixed64(4, 2 ** 40 + 5);
    writer.hexBytes(5, '4bf92f3577b34da6a3ce929d0e0e4736');
    const read = reader(writer.finish());
    read.uint32();
    expect(read.double()).toBe(-0.1);
    read.uint32();
    expect(long(read.fixed64())).toBe(BigInt(2 ** 40 + 5));
    read.uint32();
    expect(Buffer.from(read.bytes()).toString('hex')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });
});
