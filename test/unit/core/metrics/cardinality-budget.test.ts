import { describe, expect, it } from 'vitest';
import { CardinalityBudget, OTHER_VALUE } from '../../../../src/core/metrics/cardinality-budget';
import { attributesHash, sameAttributes } from '../../../../src/core/metrics/attributes-hash';

describe('CardinalityBudget', () => {
  it('admits new values of a key until its budget is used, and kept values always', () => {
    const budget = new CardinalityBudget(2);
    expect(budget.admits('user', 'a')).toBe(true);
    budget.keep({ plan: 'pro', user: 'a' });
    budget.keep({ plan: 'pro', user: 'b' });
    expect(budget.admits('user', 'c')).toBe(false);
    expect(budget.admits('user', 'a')).toBe(true);
    expect(budget.admits('plan', 'free')).toBe(true);
    expect(budget.isKept('user', 'b')).toBe(true);
    expect(budget.isKept('user', 'c')).toBe(false);
  });

  it('never counts the folded value against the budget', () => {
    const budget = new CardinalityBudget(1);
    budget.keep({ user: OTHER_VALUE });
    expect(budget.admits('user', 'a')).toBe(true);
  });

  it('admits only kept values once a key is closed, and names the widest key not folded yet', () => {
    const budget = new CardinalityBudget(100);
    budget.keep({ route: '/a', user: 'u1' });
    budget.keep({ route: '/a', user: 'u2' });
    expect(budget.widestKey({ route: '/a', user: 'u3' })).toBe('user');
    expect(budget.widestKey({ route: '/a', user: OTHER_VALUE })).toBe('route');
    expect(budget.widestKey({ route: OTHER_VALUE, user: OTHER_VALUE })).toBeUndefined();
    budget.close('user');
    expect(budget.admits('user', 'u3')).toBe(false);
    expect(budget.admits('user', 'u1')).toBe(true);
  });
});

describe('attributesHash and sameAttributes', () => {
  it('hashes equal sets equal and tells value types apart', () => {
    expect(attributesHash({ a: 1, b: 'x' })).toBe(attributesHash({ a: 1, b: 'x' }));
    expect(attributesHash({ a: 1 })).not.toBe(attributesHash({ a: '1' }));
    expect(attributesHash({ a: true })).not.toBe(attributesHash({ a: 'true' }));
    expect(attributesHash({ ab: 'c' })).not.toBe(attributesHash({ a: 'bc' }));
    expect(Number.isInteger(attributesHash({ a: 'x'.repeat(1000) }))).toBe(true);
    // Each string's own hash is remembered (bounded): a set hashes alike before and after
    // thousands of other values, and strings of one length with the same characters differ.
    const before = attributesHash({ route: '/cart', status: '200' });
    for (let id = 0; id < 10_000; id++) attributesHash({ order: `order-${id}` });
    expect(attributesHash({ route: '/cart', status: '200' })).toBe(before);
    expect(attributesHash({ a: 'xy' })).not.toBe(attributesHash({ a: 'yx' }));
  });

  it('compares keys, values and types, whatever the prototype holds', () => {
    expect(sameAttributes({ a: 1, b: 'x' }, { a: 1, b: 'x' })).toBe(true);
    expect(sameAttributes({ a: 1 }, { a: '1' })).toBe(false);
    expect(sameAttributes({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameAttributes({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(sameAttributes({ toString: 'x' }, {})).toBe(false);
  });
});
