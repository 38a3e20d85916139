import { describe, it, expect } from 'vitest';
import { toUnixNano } from '../../../../../src/core/export/otlp/to-unix-nano';

describe('toUnixNano', () => {
  it('writes epoch milliseconds as exact decimal nanoseconds, beyond 2^53', () => {
    expect(toUnixNano(1_700_000_000_000)).toBe('1700000000000000000');
    expect(toUnixNano(1_700_000_000_000.5)).toBe('1700000000000500000');
    expect(toUnixNano(0.000001)).toBe('1');
    expect(toUnixNano(0)).toBe('0');
    expect(toUnixNano(1)).toBe('1000000');
    expect(toUnixNano(1_700_000_000_000.0001)).toBe(String(BigInt(1_700_000_000_000) * BigInt(1e6) + BigInt(Math.round((1_700_000_000_000.0001 - 1_700_000_000_000) * 1e6))));
    // A fraction that rounds up to a whole millisecond carries into the milliseconds.
    expect(toUnixNano(41.9999999)).toBe('42000000');
  });

  it('agrees with exact BigInt arithmetic', () => {
    for (const epochMs of [1, 999.999, 1_234.5678, 1_700_000_000_123.25, 1_764_765_432_123.0625, 2 ** 40 + 0.5]) {
      const wholeMs = Math.floor(epochMs);
      const nanos = Math.round((epochMs - wholeMs) * 1e6);
      expect(toUnixNano(epochMs)).toBe((BigInt(wholeMs) * BigInt(1e6) + BigInt(nanos)).toString());
    }
  });

  it('gives 0 for a negative or non-finite time instead of an invalid fixed64', () => {
    expect(toUnixNano(-1)).toBe('0');
    expect(toUnixNano(Number.NaN)).toBe('0');
  });
});
