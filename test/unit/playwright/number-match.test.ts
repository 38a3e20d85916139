import { describe, expect, it } from 'vitest';
import { describeNumberMatch, matchesNumber } from '../../../src/playwright/number-match';

describe('matchesNumber', () => {
  it('matches anything when no expectation is given', () => {
    expect(matchesNumber(undefined, 42)).toBe(true);
  });

  it('compares values with a relative tolerance, so summed decimals still match', () => {
    expect(matchesNumber(0.3, 0.1 + 0.2)).toBe(true);
    expect(matchesNumber(3, 3.001)).toBe(false);
    expect(matchesNumber(1e12, 1e12 + 1)).toBe(true);
  });

  it('runs a predicate, and a predicate that throws or returns a non-true value fails', () => {
    expect(matchesNumber((value) => value > 10, 11)).toBe(true);
    expect(matchesNumber((value) => value > 10, 9)).toBe(false);
    expect(
      matchesNumber(() => {
        throw new Error('boom');
      }, 1),
    ).toBe(false);
    expect(matchesNumber((() => 1) as unknown as (value: number) => boolean, 1)).toBe(false);
  });

  it('matches NaN only with NaN', () => {
    expect(matchesNumber(Number.NaN, Number.NaN)).toBe(true);
    expect(matchesNumber(Number.NaN, 0)).toBe(false);
  });
});

describe('describeNumberMatch', () => {
  it('prints values as they are and predicates by their source', () => {
    expect(describeNumberMatch(3)).toBe('3');
    expect(describeNumberMatch((ms) => ms < 50)).toBe('a value passing (ms) => ms < 50');
  });
});
