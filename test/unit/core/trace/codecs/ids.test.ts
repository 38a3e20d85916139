import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateSampleRand, generateSpanId, generateTraceId } from '../../../../../src/core/trace/codecs/ids';

type IdsModule = typeof import('../../../../../src/core/trace/codecs/ids');

/** A fresh copy of the module, so its random-byte pool starts empty under the stubbed host. */
async function freshIds(): Promise<IdsModule> {
  vi.resetModules();
  return import('../../../../../src/core/trace/codecs/ids');
}

function cryptoFillingWith(...fills: number[]): { getRandomValues: (array: Uint8Array) => Uint8Array; calls: number } {
  const fake = {
    calls: 0,
    getRandomValues(array: Uint8Array): Uint8Array {
      array.fill(fills[Math.min(fake.calls, fills.length - 1)]);
      fake.calls++;
      return array;
    },
  };
  return fake;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('generateTraceId', () => {
  it('returns 32 lowercase hex characters, never all zero', () => {
    const invalid: string[] = [];
    for (let index = 0; index < 2000; index++) {
      const traceId = generateTraceId();
      if (!/^[0-9a-f]{32}$/.test(traceId) || traceId === '0'.repeat(32)) invalid.push(traceId);
    }
    expect(invalid).toEqual([]);
  });

  it('returns a different id on every call', () => {
    const ids = new Set(Array.from({ length: 5000 }, () => generateTraceId()));
    expect(ids.size).toBe(5000);
  });

  it('uses every hex digit in every position over many ids (the encoding table is complete)', () => {
    const seen = Array.from({ length: 32 }, () => new Set<string>());
    for (let index = 0; index < 2000; index++) {
      const traceId = generateTraceId();
      for (let position = 0; position < 32; position++) seen[position].add(traceId[position]);
    }
    for (const digits of seen) expect(digits.size).toBe(16);
  });

  it('takes its bytes from globalThis.crypto.getRandomValues when the host has it', async () => {
    const fakeCrypto = cryptoFillingWith(0xab);
    vi.stubGlobal('crypto', fakeCrypto);
    const ids = await freshIds();
    expect(ids.generateTraceId()).toBe('ab'.repeat(16));
    expect(ids.generateSpanId()).toBe('ab'.repeat(8));
    expect(fakeCrypto.calls).toBe(1);
  });

  it('fills a pool once for many ids instead of calling getRandomValues per id', async () => {
    const fakeCrypto = cryptoFillingWith(0x5c);
    vi.stubGlobal('crypto', fakeCrypto);
    const ids = await freshIds();
    for (let index = 0; index < 20; index++) ids.generateTraceId();
    expect(fakeCrypto.calls).toBe(1);
  });

  it('draws again instead of returning an all-zero id', async () => {
    vi.stubGlobal('crypto', cryptoFillingWith(0x00, 0x01));
    const ids = await freshIds();
    expect(ids.generateTraceId()).toBe('01'.repeat(16));
    expect(ids.generateSpanId()).toBe('01'.repeat(8));
  });

  it('falls back to Math.random when the host has no crypto', async () => {
    vi.stubGlobal('crypto', undefined);
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const ids = await freshIds();
    // 0.5 * 2^32 = 0x80000000, written little-endian: 00 00 00 80.
    expect(ids.generateTraceId()).toBe('00000080'.repeat(4));
    expect(Math.random).toHaveBeenCalled();
  });

  it('falls back to Math.random when getRandomValues throws', async () => {
    vi.stubGlobal('crypto', {
      getRandomValues() {
        throw new Error('not allowed here');
      },
    });
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const ids = await freshIds();
    expect(ids.generateSpanId()).toBe('00000080'.repeat(2));
  });
});

describe('generateSpanId', () => {
  it('returns 16 lowercase hex characters, never all zero, different every call', () => {
    const ids = new Set<string>();
    const invalid: string[] = [];
    for (let index = 0; index < 5000; index++) {
      const spanId = generateSpanId();
      if (!/^[0-9a-f]{16}$/.test(spanId) || spanId === '0'.repeat(16)) invalid.push(spanId);
      ids.add(spanId);
    }
    expect(invalid).toEqual([]);
    expect(ids.size).toBe(5000);
  });
});

describe('generateSampleRand', () => {
  it('returns floats in [0, 1) spread over the whole interval', () => {
    const buckets = new Array<number>(10).fill(0);
    let sum = 0;
    let outOfRange = 0;
    const count = 20000;
    for (let index = 0; index < count; index++) {
      const value = generateSampleRand();
      if (!(value >= 0 && value < 1)) outOfRange++;
      sum += value;
      buckets[Math.floor(value * 10)]++;
    }
    expect(outOfRange).toBe(0);
    // Each decile expects 2000 draws (sd ≈ 42); 1700 is over seven deviations away.
    for (const bucket of buckets) expect(bucket).toBeGreaterThan(1700);
    expect(sum / count).toBeGreaterThan(0.48);
    expect(sum / count).toBeLessThan(0.52);
  });

  it('stays below 1 when every random bit is set, and is 0 when none is', async () => {
    vi.stubGlobal('crypto', cryptoFillingWith(0xff));
    let ids = await freshIds();
    const highest = ids.generateSampleRand();
    expect(highest).toBeLessThan(1);
    expect(highest).toBe((2 ** 53 - 1) / 2 ** 53);

    vi.stubGlobal('crypto', cryptoFillingWith(0x00));
    ids = await freshIds();
    expect(ids.generateSampleRand()).toBe(0);
  });
});
