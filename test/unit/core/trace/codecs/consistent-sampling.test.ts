import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatOpenTelemetryTraceState,
  parseOpenTelemetryTraceState,
  randomnessForSampleRand,
  rateFromThreshold,
  sampleRandFromRandomness,
  thresholdForRate,
} from '../../../../../src/core/trace/codecs/consistent-sampling';

/** rv >= th, both as hex: equal-length lowercase hex strings compare as their numbers do. */
const keeps = (rv: string, th: string): boolean => rv >= th.padEnd(14, '0');

/**
 * The specification's way of writing a threshold with `precision` hex digits: more digits for
 * probabilities near zero (one per leading "f"), rounded half up, trailing zeros removed.
 */
function roundThreshold(exact: string, probability: number, precision: number): string {
  const exponent = Math.floor(Math.log2(probability)) + 1; // math.frexp's exponent
  const digits = Math.max(1, Math.min(12, precision + Math.floor(exponent / -4)));
  const padded = exact.padEnd(14, '0');
  let value = parseInt(padded.slice(0, digits), 16);
  if (parseInt(padded[digits], 16) >= 8) value += 1;
  return value.toString(16).padStart(digits, '0').replace(/0+$/, '') || '0';
}

// tracestate-probability-sampling.md, "Converting floating-point probability to threshold value":
// 1-in-N probabilities, their thresholds at precision 3, 4, 5, and the probabilities those stand for.
const SPEC_TABLE: Array<[number, [string, string, string], [number, number, number]]> = [
  [1, ['0', '0', '0'], [1, 1, 1]],
  [0.5, ['8', '8', '8'], [0.5, 0.5, 0.5]],
  [1 / 3, ['aab', 'aaab', 'aaaab'], [0.333251953125, 0.3333282470703125, 0.33333301544189453]],
  [0.25, ['c', 'c', 'c'], [0.25, 0.25, 0.25]],
  [0.2, ['ccd', 'cccd', 'ccccd'], [0.199951171875, 0.1999969482421875, 0.19999980926513672]],
  [0.125, ['e', 'e', 'e'], [0.125, 0.125, 0.125]],
  [0.1, ['e66', 'e666', 'e6666'], [0.10009765625, 0.100006103515625, 0.10000038146972656]],
  [0.0625, ['f', 'f', 'f'], [0.0625, 0.0625, 0.0625]],
  [0.01, ['fd71', 'fd70a', 'fd70a4'], [0.0099945068359375, 0.010000228881835938, 0.009999990463256836]],
  [0.001, ['ffbe7', 'ffbe77', 'ffbe76d'], [0.0010004043579101562, 0.0009999871253967285, 0.000999998301267624]],
  [0.0001, ['fff972', 'fff9724', 'fff97247'], [0.00010001659393310547, 0.00010000169277191162, 0.00010000006295740604]],
  [0.00001, ['ffff584', 'ffff583a', 'ffff583a5'], [9.998679161071777e-6, 1.00000761449337e-5, 1.0000003385357559e-5]],
  [0.000001, ['ffffef4', 'ffffef39', 'ffffef391'], [9.98377799987793e-7, 1.00000761449337e-6, 9.999930625781417e-7]],
];

describe('thresholdForRate', () => {
  it.each(SPEC_TABLE)('matches the specification for probability %d at precision 3, 4 and 5', (probability, thresholds) => {
    const exact = thresholdForRate(probability)!;
    expect(thresholds.map((_, index) => roundThreshold(exact, probability, index + 3))).toEqual(thresholds);
  });

  it('writes the specification examples exactly: 100 % is th:0, 1 % is (1 − 0.01) · 2^56', () => {
    expect(thresholdForRate(1)).toBe('0');
    expect(thresholdForRate(0.5)).toBe('8');
    expect(thresholdForRate(0.25)).toBe('c');
    expect(thresholdForRate(0.01)).toBe('fd70a3d70a3d71');
  });

  it('has no threshold for 0 or for what is not a rate', () => {
    for (const rate of [0, -0.1, 1.5, Number.NaN, '0.5' as unknown as number]) expect(thresholdForRate(rate)).toBeUndefined();
  });
});

describe('rateFromThreshold', () => {
  it.each(SPEC_TABLE)('reads back the probabilities the specification lists for %d', (_probability, thresholds, probabilities) => {
    thresholds.forEach((threshold, index) => expect(rateFromThreshold(threshold)).toBeCloseTo(probabilities[index], 15));
  });

  it('rejects what is not 1 to 14 hex digits', () => {
    for (const th of ['', 'g', '123456789012345', 'C', undefined]) expect(rateFromThreshold(th)).toBeUndefined();
  });
});

describe('randomness and sample_rand agree with thresholds and rates', () => {
  const RATES = [1e-6, 0.001, 0.01, 0.05, 0.1, 1 / 3, 0.25, 0.5, 0.7, 0.999999, 1];

  it('for every 6-decimal sample_rand (what Sentry and isometer send): sample_rand < rate ⇔ rv ≥ th', () => {
    const thresholds = RATES.map((rate) => thresholdForRate(rate)!);
    let mismatches = 0;
    for (let k = 0; k < 1_000_000; k++) {
      const sampleRand = k / 1e6;
      const rv = randomnessForSampleRand(sampleRand)!;
      for (let index = 0; index < RATES.length; index++) if (sampleRand < RATES[index] !== keeps(rv, thresholds[index])) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('for any sample_rand when the rate is at least 1/16, and for any two that differ by more than 2^-56', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.double({ min: 2 ** -56, max: 1, noNaN: true }), (sampleRand, rate) => {
        fc.pre(rate >= 1 / 16 || Math.abs(sampleRand - rate) > 2 ** -56);
        expect(keeps(randomnessForSampleRand(sampleRand)!, thresholdForRate(rate)!)).toBe(sampleRand < rate);
      }),
      { numRuns: 20_000 },
    );
  });

  it('an incoming rv becomes a sample_rand in [0, 1) that decides exactly as rv ≥ th does, for every rate', () => {
    const hex14 = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 14, maxLength: 14 });
    fc.assert(
      fc.property(hex14, fc.double({ min: 2 ** -56, max: 1, noNaN: true }), (rv, rate) => {
        const sampleRand = sampleRandFromRandomness(rv)!;
        expect(sampleRand).toBeGreaterThanOrEqual(0);
        expect(sampleRand).toBeLessThan(1);
        expect(sampleRand < rate).toBe(keeps(rv, thresholdForRate(rate)!));
      }),
      { numRuns: 20_000 },
    );
  });

  it('maps the ends and the middle as expected', () => {
    expect(randomnessForSampleRand(0)).toBe('ffffffffffffff');
    expect(randomnessForSampleRand(0.5)).toBe('7fffffffffffff');
    expect(sampleRandFromRandomness('7fffffffffffff')).toBe(0.5);
    expect(sampleRandFromRandomness('ffffffffffffff')).toBe(0);
    expect(sampleRandFromRandomness('00000000000000')).toBeLessThan(1);
  });

  it('rejects what is not a sample_rand or not 14 hex digits', () => {
    for (const value of [1, -0.1, Number.NaN]) expect(randomnessForSampleRand(value)).toBeUndefined();
    for (const rv of ['', 'fffffffffffff', 'fffffffffffffff', 'FFFFFFFFFFFFFF', undefined]) expect(sampleRandFromRandomness(rv)).toBeUndefined();
  });
});

describe('the ot entry', () => {
  it('reads th and rv, and keeps other sub-keys in order', () => {
    expect(parseOpenTelemetryTraceState('p:8;th:c;rv:a1b2c3d4e5f607;k1:13')).toEqual({
      th: 'c',
      rv: 'a1b2c3d4e5f607',
      other: [
        ['p', '8'],
        ['k1', '13'],
      ],
    });
  });

  it('leaves out malformed th and rv and sub-keys outside the grammar', () => {
    expect(parseOpenTelemetryTraceState('th:xyz;rv:123;Bad:1;ok:a,b;fine:1')).toEqual({ other: [['fine', '1']] });
    expect(parseOpenTelemetryTraceState(undefined)).toEqual({ other: [] });
  });

  it('writes th and rv first, then the others, within 256 characters', () => {
    expect(formatOpenTelemetryTraceState({ th: 'c', rv: 'a1b2c3d4e5f607', other: [['p', '8']] })).toBe('th:c;rv:a1b2c3d4e5f607;p:8');
    expect(formatOpenTelemetryTraceState({ rv: 'a1b2c3d4e5f607', other: [] })).toBe('rv:a1b2c3d4e5f607');
    expect(formatOpenTelemetryTraceState({ th: '0', other: [['x', 'y'.repeat(300)]] })).toBe('th:0');
  });
});
