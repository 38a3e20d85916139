import { describe, it, expect } from 'vitest';
import { toUnixNano } from '../../../../../src/core/export/otlp/to-unix-nano';

describe('toUnixNano', () => {
  it('writes epoch milliseconds as exact decimal nanoseconds, beyond 2^53', () => {
    expect(toUnixNano(1_700_000_000_000)).toBe('1700000000000000000');
    expect(toUnixNano(1_700_000_000_000.5)).toBe('1700000000000500000');
    expect(toUnixNano(0.000001)).toBe('1');
  });

  it('gives 0 for a negative or non-finite time instead of an invalid fixed64', () => {
    expect(toUnixNano(-1)).toBe('0');
    expect(toUnixNano(Number.NaN)).toBe('0');
  });
});
